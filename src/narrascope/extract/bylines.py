"""Author names and publication dates from byline lines, in the languages narrascope reads.

"Jane Doe, November 02, 2024", "By Jane Doe | 2 Nov 2024", "Par Jean Dupont, le 2 novembre
2024", "Автор: Иван Петров, 2 ноября 2024", "Von Max Mustermann, 2. November 2024"; the
dates themselves are read by `dates`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import find_date


@dataclass
class Byline:
    authors: list[str] = field(default_factory=list)
    published: str | None = None



# Words that introduce authors ("By", "Par", "Автор:") and that join or precede a date.
_AUTHOR_PREFIX = re.compile(
    r"^(?:(?:written|posted|reported)\s+by|by|par|von|(?-i:di)|por|от|від|автор(?:ы)?|автори|"
    r"author(?:s)?|auteur|autor(?:in)?|autore|autorka|text|texte|του|της|των|द्वारा|लेखक|ავტორი)"
    r"(?=[\s:])[\s:]*",
    re.IGNORECASE,
)
_WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun "
    "lundi mardi mercredi jeudi vendredi samedi dimanche montag dienstag mittwoch donnerstag freitag "
    "samstag sonntag lunedì martedì mercoledì giovedì venerdì sabato domenica lunes martes miércoles "
    "jueves viernes sábado domingo segunda-feira terça-feira quarta-feira quinta-feira sexta-feira "
    "poniedziałek wtorek środa czwartek piątek sobota niedziela понедельник вторник среда четверг "
    "пятница суббота воскресенье понеділок вівторок середа четвер пʼятниця п'ятниця субота неділя "
    "понеделник сряда петък събота неделя δευτέρα τρίτη τετάρτη πέμπτη παρασκευή σάββατο κυριακή"
).split()
# What may stand between the names and the date: separators, "on", "le", "published", a weekday,
# in any order and number ("publié le dimanche 3 mars 2024").
_DATE_LEADS = re.compile(
    r"(?:^|[,|·•—–\-/\s]+)(?:(?:le|am|on|il|el|em|dnia|от|published|publié|posted|veröffentlicht|"
    r"updated|mis à jour|aktualisiert|опубликовано|обновлено|публикувано|опубліковано|publicado|pubblicato|"
    r"opublikowano|δημοσιεύθηκε|"
    + "|".join(map(re.escape, _WEEKDAYS))
    + r")(?!\w)[\s:,.]*)*[\s:,]*$",
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


# A user name as one token ("gnaddrig", "freeman1984", "uncut-news.ch"): blogs and forums print
# these, lower case or with digits, where a newspaper prints a name.
_HANDLE = re.compile(r"(?=[\w.\-]*[^\W\d_])[^\W_][\w.\-]{1,29}")


def is_handle(text: str) -> bool:
    """Whether `text` is one user-name token (letters, maybe digits, dots, dashes; no spaces)."""
    return _HANDLE.fullmatch(text) is not None


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
    names_text = names_text.strip(" ,|·•—–-")
    names = split_names(names_text, introduced) if names_text else []
    if not names and prefix and _handle_after(prefix.group(), names_text):
        names = [names_text]  # "Autor: gnaddrig", "von Marianne1"
    if names and (introduced or published):  # bare capitalised words are a subheading, not a byline
        return Byline(authors=names, published=published)
    if published and not names_text.strip(" ,|·•—–-"):
        return Byline(published=published)  # a dateline: the date alone
    return None


def _handle_after(prefix: str, text: str) -> bool:
    """A user name after an author prefix: after a colon ("Autor: gnaddrig") any handle, else only
    one no word looks like ("von Marianne1"), so that "by now" stays a phrase."""
    return is_handle(text) and (":" in prefix or any(not ch.isalpha() for ch in text))


_SEGMENT_SEPARATOR = re.compile(r"\s+[|·•]\s+|^[|·•]\s*")


def introduced_authors(text: str, max_lines: int) -> list[str]:
    """The names of the first of `text`'s lines that introduces them ("By Jane Doe", "yas! | By
    Jane Doe | April 13, 2020", "Von:" with the name on the next line), among `max_lines` lines."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [line for line in lines if line][:max_lines]
    for index, line in enumerate(lines):
        prefix = _AUTHOR_PREFIX.match(line)
        if prefix and prefix.end() == len(line) and index + 1 < len(lines):
            line = f"{line} {lines[index + 1]}"  # "Von:" / "Götz Warnke"
        for segment in [line, *_SEGMENT_SEPARATOR.split(line)]:
            if _AUTHOR_PREFIX.match(segment.strip()):
                byline = parse_byline(segment)
                if byline and byline.authors:
                    return byline.authors
    return []
