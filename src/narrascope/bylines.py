"""Author names and publication dates from byline lines, in the languages narrascope reads.

"Jane Doe, November 02, 2024", "By Jane Doe | 2 Nov 2024", "Par Jean Dupont, le 2 novembre
2024", "Автор: Иван Петров, 2 ноября 2024", "Von Max Mustermann, 2. November 2024". Month
names come in every form a dateline uses (Russian, Ukrainian, Polish and Greek genitives,
abbreviations); dates are returned as ISO 8601.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

_MONTH_FORMS = {
    # one row per language; twelve space-separated groups, forms of one month joined by "/"
    "en": "january/jan february/feb march/mar april/apr may june/jun july/jul august/aug "
    "september/sep/sept october/oct november/nov december/dec",
    "fr": "janvier/janv février/févr/fevrier mars avril/avr mai juin juillet/juil août/aout "
    "septembre octobre novembre décembre/déc/decembre",
    "de": "januar/jänner februar/feb märz/mär/maerz april mai juni juli august "
    "september oktober/okt november dezember/dez",
    "it": "gennaio/gen febbraio marzo aprile maggio giugno luglio agosto settembre/set "
    "ottobre/ott novembre dicembre/dic",
    "es": "enero/ene febrero marzo abril mayo junio julio agosto septiembre/setiembre "
    "octubre noviembre diciembre",
    "pt": "janeiro fevereiro/fev março/marco abril maio junho julho agosto setembro/set "
    "outubro/out novembro dezembro/dez",
    "pl": "styczeń/stycznia/sty luty/lutego/lut marzec/marca/mar kwiecień/kwietnia/kwi "
    "maj/maja czerwiec/czerwca/cze lipiec/lipca/lip sierpień/sierpnia/sie "
    "wrzesień/września/wrz październik/października/paź listopad/listopada/lis "
    "grudzień/grudnia/gru",
    "ru": "январь/января/янв февраль/февраля/фев март/марта/мар апрель/апреля/апр май/мая "
    "июнь/июня/июн июль/июля/июл август/августа/авг сентябрь/сентября/сен/сент "
    "октябрь/октября/окт ноябрь/ноября/ноя декабрь/декабря/дек",
    "uk": "січень/січня лютий/лютого березень/березня квітень/квітня травень/травня "
    "червень/червня липень/липня серпень/серпня вересень/вересня жовтень/жовтня "
    "листопад/листопада грудень/грудня",
    "bg": "януари февруари март април май юни юли август септември октомври ноември декември",
    "el": "ιανουάριος/ιανουαρίου φεβρουάριος/φεβρουαρίου μάρτιος/μαρτίου απρίλιος/απριλίου "
    "μάιος/μαΐου/μαίου ιούνιος/ιουνίου ιούλιος/ιουλίου αύγουστος/αυγούστου "
    "σεπτέμβριος/σεπτεμβρίου οκτώβριος/οκτωβρίου νοέμβριος/νοεμβρίου δεκέμβριος/δεκεμβρίου",
    "hi": "जनवरी फ़रवरी/फरवरी मार्च अप्रैल मई जून जुलाई अगस्त सितंबर/सितम्बर "
    "अक्टूबर/अक्तूबर नवंबर/नवम्बर दिसंबर/दिसम्बर",
    "ka": "იანვარი თებერვალი მარტი აპრილი მაისი ივნისი ივლისი აგვისტო სექტემბერი "
    "ოქტომბერი ნოემბერი დეკემბერი",
}


def _month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for row in _MONTH_FORMS.values():
        for number, forms in enumerate(row.split(), start=1):
            for form in forms.split("/"):
                table[unicodedata.normalize("NFC", form).lower()] = number  # lower(): casefold expands "ΐ"
    return table


MONTHS = _month_table()
_MONTH = "(?P<month>" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?(?!\w)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|\.|-?го)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_TIME = r"(?:[,\s]+(?:at|à|um|alle|às|a las|o|в|в\s+\d+|о)?\s*(?P<hour>[0-2]?\d)[:.h](?P<minute>[0-5]\d)(?!\d))?"
_DATE_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        # 2024-11-02, 2024-11-02T14:30:00+01:00
        r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)"
        r"(?:[T ](?P<hour>[0-2]\d):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?(?P<zone>Z|[+-]\d\d:?\d\d)?)?",
        # 2 November 2024, 2. November 2024, 2 de noviembre de 2024, 2 ноября 2024 г.
        rf"(?<!\d){_DAY}\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+|del\s+)?{_YEAR}{_TIME}",
        # November 02, 2024 · Nov. 2, 2024
        rf"(?<!\w){_MONTH}\s+{_DAY},?\s+{_YEAR}{_TIME}",
        # 02.11.2024, 02/11/2024 (day first, unless only month-first is possible)
        r"(?<![\d.])(?P<first>[0-3]?\d)[./](?P<second>[01]?\d)[./](?P<year>(?:19|20)\d\d)(?![\d])" + _TIME,
    )
]


@dataclass
class Byline:
    authors: list[str] = field(default_factory=list)
    published: str | None = None


def _iso(year: int, month: int, day: int, hour: str | None, minute: str | None, rest: str = "") -> str | None:
    try:
        day_text = date(year, month, day).isoformat()
    except ValueError:
        return None
    if hour is None or minute is None or int(hour) > 23:
        return day_text
    return f"{day_text}T{int(hour):02d}:{minute}{rest}"


def _date_from_match(match: re.Match[str]) -> str | None:
    parts = match.groupdict()
    year = int(parts["year"])
    if "first" in parts:  # numeric with separators
        day, month = int(parts["first"]), int(parts["second"])
        if month > 12 >= day:
            day, month = month, day
    else:
        day = int(parts["day"])
        month_text = parts["month"]
        month = int(month_text) if month_text.isdigit() else MONTHS[unicodedata.normalize("NFC", month_text).lower()]
    seconds = f":{parts['second']}" if parts.get("second") else ""
    return _iso(year, month, day, parts.get("hour"), parts.get("minute"), seconds + (parts.get("zone") or ""))


def find_date(text: str) -> tuple[str, re.Match[str]] | None:
    """The first date in `text` as ISO 8601 (with the time when one is written), and its match."""
    found = [m for pattern in _DATE_PATTERNS for m in pattern.finditer(text)]
    for match in sorted(found, key=lambda m: m.start()):
        iso = _date_from_match(match)
        if iso:
            return iso, match
    return None


def parse_date(text: str) -> str | None:
    found = find_date(text)
    return found[0] if found else None


# Words that introduce authors ("By", "Par", "Автор:") and that join or precede a date.
_AUTHOR_PREFIX = re.compile(
    r"^(?:(?:written|posted|reported)\s+by|by|par|von|(?-i:di)|por|от|від|автор(?:ы)?|автори|"
    r"author(?:s)?|auteur|autor(?:in)?|autore|autorka|text|texte|του|της|των|द्वारा|लेखक|ავტორი)"
    r"(?=[\s:])[\s:]*",
    re.IGNORECASE,
)
_DATE_LEADS = re.compile(
    r"(?:^|[,|·•—–\-/\s]+)(?:le|am|on|il|el|em|dnia|от|published|publié|veröffentlicht|"
    r"updated|mis à jour|опубликовано|обновлено|publicado|pubblicato)?[\s:,]*$",
    re.IGNORECASE,
)
_NAME_SEPARATORS = re.compile(r"\s*(?:,|&|\band\b|\bet\b|\bund\b|\be\b|\by\b|\bi\b|\bи\b|\bта\b|\bκαι\b)\s*")
_NAME_PARTICLES = {"de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "le", "la", "al", "bin", "ibn", "dos", "das", "y"}


def _capitalised(word: str) -> bool:
    first = word[0]
    return first.isupper() or (first.isalpha() and first.lower() == first.upper())  # or uncased script


def _looks_like_name(candidate: str, introduced: bool) -> bool:
    """One to five words, capitalised but for particles ("Jean de La Fontaine"); a single word
    only after "By"/"Par"/"Автор:", which already says a name follows."""
    words = candidate.split()
    if not 1 <= len(words) <= 5 or any(ch.isdigit() for ch in candidate):
        return False
    if len(words) == 1 and not introduced:
        return False
    return all(_capitalised(w) for w in words if w.casefold() not in _NAME_PARTICLES)


def split_names(text: str, introduced: bool) -> list[str]:
    """Names in an author list ("Jane Doe and John Roe"), or [] if it is not one."""
    names = [part.strip(" .;|") for part in _NAME_SEPARATORS.split(text) if part.strip(" .;|")]
    if names and all(_looks_like_name(name, introduced) for name in names):
        return names
    return []


MAX_BYLINE_CHARS = 140


def parse_byline(line: str) -> Byline | None:
    """Authors and/or date from one byline line; None when the line is not a byline."""
    line = line.strip()
    if not line or len(line) > MAX_BYLINE_CHARS:
        return None
    found = find_date(line)
    published, rest = None, line
    if found:
        published, match = found
        before, after = line[: match.start()], line[match.end() :]
        if len(after.split()) > 4:  # a sentence goes on after the date; "г.", "r.", a time may not
            return None
        rest = _DATE_LEADS.sub("", before)
    prefix = _AUTHOR_PREFIX.match(rest)
    introduced = prefix is not None
    names_text = rest[prefix.end() :] if prefix else rest
    names = split_names(names_text.strip(" ,|·•—–-"), introduced) if names_text.strip() else []
    if names and (introduced or published):  # bare capitalised words are a subheading, not a byline
        return Byline(authors=names, published=published)
    if published and not names_text.strip(" ,|·•—–-"):
        return Byline(published=published)  # a dateline: the date alone
    return None
