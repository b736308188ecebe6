"""Publication dates written in bylines and datelines, in the languages narrascope reads.

"November 02, 2024", "2 Nov 2024", "le 2 novembre 2024", "2 ноября 2024 г.", "2. November 2024",
"2024-11-02T14:30:00+01:00", "02.11.2024". Month names come in every form a dateline uses
(Russian, Ukrainian, Polish and Greek genitives, abbreviations); dates are returned as ISO 8601.
"""

from __future__ import annotations

import re
import unicodedata
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
