"""Finding the people, organisations, countries and groups an article talks about, without a
pretrained NER model (none ships in a registry package for all our languages).

Two finders, joined: a gazetteer of names and aliases learnt from the SemEval-2025 role
annotations (matched on light stems, so Russian and Bulgarian inflections still match), and
capitalised-word runs for scripts with letter case. Mentions whose stems agree, or whose last
word is the last word of a longer name in the same article ("Путина" / "Владимир Путин"), are
grouped into one entity.

An entity's type (person, organisation, country, group) comes from cues, never from a guess:
country, bloc and capital names in every language from CLDR (Babel), acronyms and organisation
words, titles and patronymics, first names seen in the gazetteer, group nouns. English demonym
adjectives ("Ukrainian army", "Western money") are not names; with a group or organisation noun
after them they are ("Russian forces"); their plurals ("the Ukrainians") are groups.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property

from babel import Locale

from .model import Document

_WORD = re.compile(r"[\w\u0900-\u097F]+(?:[-'’][\w\u0900-\u097F]+)*")
# Noun, adjective and article endings of Russian, Ukrainian and Bulgarian, longest first.
_CYRILLIC_ENDINGS = sorted(
    "ыми ими ями ами ого его ому ему ите ове ой ей ою ею ом ем ам ям ах ях ов ев ый ий ая яя ое ее ые ие ых их "
    "ым им ую юю ът ят та то те а я у ю ы и е о ь й".split(),
    key=len,
    reverse=True,
)
_LATIN_POSSESSIVE = re.compile(r"['’]s$")
# Personal pronouns of the corpus languages: the gazetteer matches case-blind, so "us" would
# otherwise pass for "US", and a sentence-opening "We" for a name. Written all in capitals they
# are names ("US") and stay.
PRONOUNS = frozenset(
    # English
    "i me my we us our ours you your he him his she her it its they them their theirs".split()
    # Portuguese
    + "eu mim nós nos você vocês ele ela eles elas lhe lhes".split()
    # Russian and Bulgarian
    + "я мы нас нам вы вас он она оно они их им ему его её ее аз ние вие те тя той го ги".split()
    # Hindi
    + "मैं हम तुम आप वह वे यह ये उन उस हमें उन्हें".split()
)
MIN_STEM = 3
NAME_PARTICLES = frozenset("von van der den de da do dos das di del la le bin ibn al".split())
MAX_NAME_WORDS = 6


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def _is_cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)


def stem(word: str) -> str:
    """A light, language-blind stem: casefolded, possessive and one Cyrillic ending removed."""
    word = _LATIN_POSSESSIVE.sub("", word.casefold())
    if _is_cyrillic(word):
        for ending in _CYRILLIC_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                return word[: -len(ending)]
    return word


def name_key(text: str) -> tuple[str, ...]:
    """The stems of a name's words: what two spellings of one name have in common."""
    return tuple(stem(token.text) for token in tokenize(text))


@dataclass(frozen=True)
class Gazetteer:
    """Known names (stem key -> the name as usually written) and common words (words the
    corpus writes in lowercase, so a capitalised one is only opening a sentence)."""

    names: dict[tuple[str, ...], str]
    common_words: frozenset[str] = frozenset()

    @classmethod
    def learn(cls, surfaces: Iterable[str], common_words: Iterable[str] = ()) -> "Gazetteer":
        by_key: dict[tuple[str, ...], Counter] = defaultdict(Counter)
        for surface in surfaces:
            key = name_key(surface)
            if key and len(key) <= MAX_NAME_WORDS:
                by_key[key][surface.strip()] += 1
        names = {key: forms.most_common(1)[0][0] for key, forms in by_key.items()}
        return cls(names, frozenset(common_words))

    @cached_property
    def longest(self) -> int:
        return max((len(k) for k in self.names), default=0)

    @cached_property
    def first_names(self) -> frozenset[str]:
        """Stems of first names: the first word of a two- or three-word name whose last word is
        also a name on its own ("Olaf Scholz" / "Scholz"), unless either is a title, a place, a
        demonym or an organisation or group word."""
        known = lexicon()
        surnames = {key[0] for key in self.names if len(key) == 1}
        cue_words = known.titles | known.organisation_words | known.group_words
        return frozenset(
            key[0] for key, name in self.names.items()
            if 1 < len(key) <= 3 and len(key[0]) > 2 and key[-1] in surnames and not name[:1].islower()
            and not {stem(key[0]), stem(key[-1])} & cue_words and not {key, key[:1], key[-1:]} & known.types.keys()
            and not demonym(name.split()[0])
        )

    @cached_property
    def surnames(self) -> frozenset[tuple[str, ...]]:
        """One-word keys of surnames: the last word of a name that opens with a first name."""
        return frozenset((key[-1],) for key in self.names if 1 < len(key) <= 3 and key[0] in self.first_names)


@dataclass(frozen=True)
class FoundMention:
    start: int
    end: int
    text: str
    key: tuple[str, ...]


def find_mentions(document: Document, gazetteer: Gazetteer) -> list[FoundMention]:
    """Known names first (the gazetteer's, and CLDR's country and capital names written with a
    capital; longest match wins), then unknown capitalised runs in the gaps; a first name the
    gazetteer knows joins the name after it."""
    text = document.text
    tokens = tokenize(text)
    stems = [stem(t.text) for t in tokens]
    taken = [False] * len(tokens)
    spans: list[list[int]] = []
    i = 0
    while i < len(tokens):
        length = _known_name_at(text, tokens, stems, i, gazetteer)
        if length == 1 and _hindi_demonym(tokens[i].text):  # "रूसी सेना": the adjective names no one alone
            length = (_phrase_head(text, tokens, taken, i) or i) + 1 - i
        if length:
            taken[i : i + length] = [True] * length
            article = length > 1 and stems[i] in LEADING_ARTICLES  # "the US" is mostly annotated "US"
            spans.append(list(range(i + article, i + length)))
        i += length or 1
    calendar = lexicon().calendar
    for whole in _capitalised_runs(text, tokens, taken, gazetteer.common_words):
        for run in _split_after_country(_demonym_phrase(text, tokens, taken, whole), stems):
            if tuple(stems[j] for j in run) not in calendar:
                spans.append(run)
    spans = _join_first_names(text, tokens, stems, sorted(spans), gazetteer.first_names)
    found = [_mention(text, tokens[run[0]], tokens[run[-1]], tuple(stems[j] for j in run)) for run in spans]
    return sorted(found, key=lambda m: m.start)


def _known_name_at(text: str, tokens: list[Token], stems: list[str], i: int, gazetteer: Gazetteer) -> int:
    """How many tokens from `i` on spell a known name (0 for none), longest first; in a caseless
    script, a known first name alone counts (the name after it joins it later)."""
    types = lexicon().types
    for length in range(min(max(gazetteer.longest, MAX_NAME_WORDS), len(tokens) - i), 0, -1):
        key = tuple(stems[i : i + length])
        known = key in gazetteer.names or key in types and not tokens[i].text[:1].islower()
        if known and _contiguous(text, tokens[i : i + length]) and not (length == 1 and is_pronoun(tokens[i].text)):
            return length
    return int(_caseless(tokens[i].text) and stems[i] in gazetteer.first_names)  # a name starts here


def _join_first_names(
    text: str, tokens: list[Token], stems: list[str], spans: list[list[int]], first_names: frozenset[str]
) -> list[list[int]]:
    """A known first name joins the name right after it ("Вадим" + "Красиков"); in scripts
    without letter case, it also takes the next word when that is no function word."""
    covered = {j for run in spans for j in run}
    joined: list[list[int]] = []
    for run in spans:
        before = run[0] - 1
        first_name_before = (
            before >= 0 and stems[before] in first_names and _contiguous(text, tokens[before : run[0] + 1])
        )
        if first_name_before and joined and joined[-1] == [before]:
            joined[-1] = [before, *run]
            continue
        if first_name_before and before not in covered:
            run = [before, *run]
        after = run[-1] + 1
        if (
            len(run) == 1 and stems[run[0]] in first_names and after < len(tokens) and after not in covered
            and _caseless(tokens[after].text) and tokens[after].text not in FUNCTION_WORDS
            and _contiguous(text, tokens[run[0] : after + 1])
        ):
            run = [*run, after]
        joined.append(run)
    return joined


def _caseless(word: str) -> bool:
    """Written in a script without letter case (Devanagari, Georgian)."""
    return not word[:1].isupper() and not word[:1].islower()


def _split_after_country(run: list[int], stems: list[str]) -> list[list[int]]:
    """Cyrillic runs split after a country name: where titles are lowercase, "Франции Эммануэль
    Макрон" is two names side by side."""
    types = lexicon().types
    for at, j in enumerate(run[:-1]):
        if _is_cyrillic(stems[j]) and types.get((stems[j],)) == COUNTRY:
            return [run[: at + 1], *_split_after_country(run[at + 1 :], stems)]
    return [run] if run else []


def _demonym_phrase(text: str, tokens: list[Token], taken: list[bool], run: list[int]) -> list[int]:
    """A run that is one demonym adjective ("Ukrainian army", "Western money") is no name: empty,
    unless a group or organisation noun follows within three words ("Russian forces", "Ukrainian
    special services"), which the phrase then spans. Other runs are returned as they are."""
    if len(run) != 1 or demonym(tokens[run[0]].text) != "singular":
        return run
    head = _phrase_head(text, tokens, taken, run[0])
    return list(range(run[0], head + 1)) if head else []


def _phrase_head(text: str, tokens: list[Token], taken: list[bool], j: int) -> int | None:
    """The index of a group or organisation noun among the three uncapitalised words after
    tokens[j], if one is there before any function word."""
    known = lexicon()
    for k in range(j + 1, min(j + 4, len(tokens))):
        word = tokens[k].text
        if taken[k] or word[:1].isupper() or word in FUNCTION_WORDS or not _contiguous(text, tokens[k - 1 : k + 1]):
            return None
        if _root(word) in known.group_words | known.organisation_words:
            return k
    return None


def _hindi_demonym(word: str) -> bool:
    """A Hindi adjective of a country or bloc ("रूसी", "अमेरिकी", "भारतीय"): its name plus -ी or -ीय."""
    types = lexicon().types
    return any(
        word.endswith(suffix) and {(word[: -len(suffix)],), (word[: -len(suffix)] + "ा",)} & types.keys()
        for suffix in ("ीय", "ी")
    )


def _mention(text: str, first: Token, last: Token, key: tuple[str, ...]) -> FoundMention:
    """The mention from `first` to `last`, without a possessive "'s": "Europe's" names Europe."""
    possessive = _LATIN_POSSESSIVE.search(last.text)
    end = last.end - (len(possessive.group()) if possessive and last.end - first.start > 2 else 0)
    return FoundMention(first.start, end, text[first.start : end], key)


def is_pronoun(word: str) -> bool:
    """A personal pronoun, unless written in capitals like an acronym ("US")."""
    return word.casefold() in PRONOUNS and not word.isupper()


def _contiguous(text: str, tokens: list[Token]) -> bool:
    """Words of one name are separated by spaces only (not by a full stop or a line break)."""
    return all(text[a.end : b.start].strip(" ") in ("", "-") for a, b in zip(tokens, tokens[1:]))


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _opens_sentence(text: str, start: int) -> bool:
    """Whether only quotes, dashes or spaces stand between `start` and the previous sentence end."""
    before = text[max(0, start - 12) : start].rstrip(" \t\"'«»“”„‘’([—–-")
    if not before:
        return start <= 12
    return before[-1] in ".!?…:\n"


def _bridges(tokens: list[Token], j: int) -> bool:
    """Whether tokens[j] starts particles that join two capitalised words ("von der")."""
    k = j
    while k < len(tokens) and tokens[k].text in NAME_PARTICLES:
        k += 1
    return j < k < len(tokens) and _is_capitalised(tokens[k].text)


def _capitalised_runs(
    text: str, tokens: list[Token], taken: list[bool], common_words: frozenset[str]
) -> list[list[int]]:
    """Runs of capitalised words not already matched, bridging name particles ("von der").
    A run's first word is dropped when it opens a sentence and is short or a common word
    ("The", "But", "С Путиным"), since any word may open a sentence."""
    lowercase = common_words | {t.text for t in tokens if t.text[:1].islower()}
    runs: list[list[int]] = [[]]
    for j, token in enumerate(tokens):
        starts_or_extends = _is_capitalised(token.text) or runs[-1] and _bridges(tokens, j)
        if taken[j] or is_pronoun(token.text) or not starts_or_extends:
            runs.append([])
            continue
        if runs[-1] and not _contiguous(text, [tokens[runs[-1][-1]], token]):
            runs.append([])
        runs[-1].append(j)
    kept = []
    for run in runs:
        if run and _opens_sentence(text, tokens[run[0]].start):
            first = tokens[run[0]].text
            if len(first) <= 2 or first.lower() in lowercase:
                run = run[1:]
        if any(len(tokens[j].text) > 1 for j in run):  # not a lone "I"
            kept.append(run[:MAX_NAME_WORDS])
    return kept


def group_mentions(mentions: list[FoundMention]) -> list[list[int]]:
    """Indices of `mentions` grouped by entity: same stem key (less "the", one key for a
    country's names), or a one-word key equal to the last word of a longer key in the same
    article (a surname standing for the full name)."""
    keys = [canonical_key(m.key) for m in mentions]
    longer_by_last = {key[-1]: key for key in sorted(keys, key=len) if len(key) > 1}
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        if len(key) == 1 and key[0] in longer_by_last:
            key = longer_by_last[key[0]]
        groups[key].append(index)
    return list(groups.values())



# --- entity types -------------------------------------------------------------------------------

PERSON, ORGANISATION, COUNTRY, GROUP = "person", "organisation", "country", "group"
# The languages whose CLDR names of countries, blocs, capitals and months are looked up.
CLDR_LANGUAGES = ("en", "fr", "de", "it", "pl", "ru", "bg", "pt", "pt_PT", "hi", "es", "el", "ka", "uk")
LEADING_ARTICLES = frozenset("the".split())
# Capitals CLDR names through a time zone of the same name. A capital stands for its country's
# government ("Moscow says"), so it is typed as a country; it stays its own entity.
CAPITAL_ZONES = (
    "Europe/Kyiv Europe/Moscow Europe/Minsk Europe/London Europe/Paris Europe/Berlin Europe/Warsaw Europe/Rome "
    "Europe/Madrid Europe/Lisbon Europe/Athens Europe/Sofia Europe/Bucharest Europe/Budapest Europe/Vienna "
    "Europe/Prague Europe/Belgrade Europe/Chisinau Europe/Vilnius Europe/Riga Europe/Tallinn Europe/Helsinki "
    "Europe/Stockholm Europe/Oslo Europe/Copenhagen Europe/Amsterdam Europe/Brussels Europe/Dublin Asia/Tbilisi "
    "Asia/Yerevan Asia/Baku Asia/Tehran Asia/Jerusalem Asia/Damascus Asia/Baghdad Asia/Riyadh Asia/Kabul "
    "Asia/Tokyo Asia/Seoul Asia/Pyongyang Asia/Taipei Africa/Cairo America/Havana America/Caracas"
).split()
# Short names CLDR lacks (by ISO code), and capitals without a time zone of their own.
COUNTRY_ALIASES = {
    "US": "US|USA|U.S.|U.S.A.|America|США|Америка|САЩ|EUA|अमेरिका|यूएस|ΗΠΑ|Amerika",
    "GB": "UK|U.K.|Britain|Great Britain|Британия|Великобритания|Grã-Bretanha|ब्रिटेन|Großbritannien",
    "RU": "Russian Federation|РФ|Российская Федерация|Руската федерация|Federação Russa|रूसी संघ",
    "TR": "Turkey|Турция|Turquia|तुर्की",
    "BY": "Belorussia|Белоруссия|Беларус",
    "KP": "North Korea|Северная Корея|Северна Корея|Coreia do Norte|उत्तर कोरिया|नॉर्थ कोरिया",
    "KR": "South Korea|Южная Корея|Южна Корея|Coreia do Sul|दक्षिण कोरिया",
}
CAPITAL_ALIASES = (
    "Washington|Вашингтон|वाशिंगटन|वॉशिंगटन|Waszyngton|Beijing|Пекин|Pequim|बीजिंग|Pékin|Peking|Pechino|Pekín|Pekin"
    "|New Delhi|Нью-Дели|Ню Делхи|Nova Deli|नई दिल्ली|Ankara|Анкара|अंकारा"
)
# Blocs and regions: groups of countries ("the West", "Europe"), typed as a group.
BLOCS = "West|East|Запад|Ocidente|पश्चिम|Occident|Westen|Occidente|Zachód|Δύση|Global South|Глобальный Юг"
# Alliances and institutions used like country names.
KNOWN_ORGANISATIONS = (
    "NATO|НАТО|नाटो|नेटो|OTAN|ΝΑΤΟ|EU|ЕС|UE|ईयू|UN|ООН|ОНН|ONU|Kremlin|Кремль|Кремъл|क्रेमलिन|Pentagon|Пентагон"
    "|Pentágono|पेंटागन|White House|Белый дом|Белия дом|Casa Branca|व्हाइट हाउस|Maison Blanche|Weißes Haus"
)
# Words naming an organisation wherever they stand in a name ("Ministry of Defence", "भारत सरकार").
ORGANISATION_WORDS = """
party ministry army military forces council commission committee union parliament congress senate
bank fund foundation institute university agency corporation corp company inc ltd group organisation
organization association department office court government administration regime alliance forum times
post journal news media service services guard brigade battalion navy police church movement coalition
league network tribunal assembly federation rebellion organização организация organizacja
партия министерство минобороны армия силы совет комиссия комитет союз парламент дума госдума
конгресс сенат банк фонд институт университет агентство служба спецслужбы правительство администрация
режим альянс форум кремль пентагон церковь суд полиция штаб батальон бригада полк движение ведомство
корпорация компания министърство министерството сили съвет комисия съюз събрание конгрес банка агенция
служби правителство алианс кремъл църква съд
partido ministério exército forças conselho comissão comité comitê união parlamento assembleia congresso
senado banco fundo fundação instituto universidade agência serviço serviços governo administração
aliança fórum igreja polícia batalhão brigada movimento empresa
पार्टी दल मंत्रालय सेना सरकार प्रशासन शासन परिषद आयोग समिति संघ संसद कांग्रेस बैंक संस्थान
विश्वविद्यालय एजेंसी न्यायालय कोर्ट पुलिस संगठन गठबंधन विभाग
parti ministère armée gouvernement conseil banque fondation institut université agence partei
ministerium armee regierung rat kommission stiftung universität agentur partito ministero esercito
governo consiglio commissione fondazione università agenzia ministerio ejército gobierno consejo comisión
fundación universidad agencia partia ministerstwo armia rząd komisja fundacja uniwersytet agencja
κόμμα υπουργείο στρατός κυβέρνηση
""".split()
# Nouns for a collective of people, as the last word of a name ("Russian diplomats", "यूक्रेनी सैनिकों").
GROUP_WORDS = """
people citizens civilians soldiers troops activists refugees migrants protesters politicians officials
diplomats elites globalists veterans journalists experts scientists farmers workers residents children
women men voters liberals conservatives democrats republicans nationalists nazis neo-nazis invaders
mercenaries lawmakers leaders allies partners countries states страны государства държави países देश देशों
люди граждане мирные жители солдаты военные военнослужащие беженцы мигранты активисты политики
чиновники дипломаты элиты глобалисты ветераны журналисты эксперты ученые учёные фермеры рабочие дети
женщины избиратели либералы демократы республиканцы националисты нацисты неонацисты укронацисты
оккупанты наемники наёмники союзники партнеры хора граждани цивилни войници военни бежанци мигранти
активисти политици служители дипломати елити глобалисти ветерани журналисти експерти учени работници
деца жени либерали демократи републиканци националисти нацисти неонацисти окупатори наемници съюзници
pessoas cidadãos civis soldados tropas militares refugiados migrantes ativistas manifestantes políticos
funcionários diplomatas globalistas veteranos jornalistas especialistas cientistas agricultores
trabalhadores moradores crianças mulheres eleitores liberais democratas republicanos nacionalistas
nazistas invasores mercenários aliados parceiros
लोग लोगों नागरिक नागरिकों सैनिक सैनिकों शरणार्थी शरणार्थियों प्रवासी कार्यकर्ता कार्यकर्ताओं नेताओं
राजनयिक राजनयिकों अधिकारी अधिकारियों पत्रकार वैज्ञानिक किसान मजदूर सहयोगी सहयोगियों महिलाएं महिलाओं
citoyens soldats réfugiés militants bürger soldaten flüchtlinge migranten aktivisten cittadini soldati
rifugiati migranti attivisti ciudadanos activistas obywatele żołnierze uchodźcy migranci aktywiści
πολίτες στρατιώτες πρόσφυγες μετανάστες
""".split()
# Titles and honorifics written before a person's name ("President Zelensky", "президента Путина").
TITLES = """
mr mrs ms miss dr president prime premier minister chancellor senator sen gov governor mayor general gen
colonel col secretary pope king queen prince princess spokesman spokeswoman spokesperson ambassador
judge professor prof rep congressman congresswoman sheikh ayatollah patriarch commander lieutenant
sergeant captain admiral marshal leader
президент премьер премьер-министр министр канцлер сенатор губернатор мэр генерал полковник подполковник
майор капитан депутат господин г-н госпожа патриарх посол глава генсек пресс-секретарь лидер спикер
председатель директор командующий командир маршал адмирал премиер министър кмет посланик говорител
председател
presidente primeiro-ministro ministro ministra chanceler senador senadora governador prefeito coronel
capitão deputado deputada sr sra senhor senhora papa patriarca embaixador porta-voz líder diretor
comandante almirante
श्री श्रीमती प्रधानमंत्री राष्ट्रपति मंत्री पीएम डॉ जनरल सांसद नेता मुख्यमंत्री राज्यपाल प्रवक्ता
m mme président ministre général herr frau präsident kanzler bundeskanzler signor signora generale
señor señora pan pani prezydent generał κ κος πρόεδρος υπουργός πρωθυπουργός პრეზიდენტი მინისტრი
""".split()
HONORIFICS_AFTER = frozenset({"जी"})
# Postpositions, conjunctions and auxiliaries of the caseless scripts: never part of a name.
FUNCTION_WORDS = frozenset(
    "ने के की का को से में पर और है हैं था थे थी तथा या एवं कि जो भी ही तो नहीं यह वह इस उस ये वे इन उन एक लिए साथ "
    "बाद द्वारा गया गई गए कहा कर करने रहा रही रहे हुए हुआ हो होने वाले वाली अब तक जब तब अपने अपनी".split()
)  # Hindi writes respect after the name ("मोदी जी")
_ACRONYM = re.compile(r"[^\W\d_]{2,}\d*|[^\W\d_]\d{1,2}")  # NATO, ВСУ, G7, COP28; not F-16
_PATRONYMIC = re.compile(r"\w{3,}(?:ович|евич|овн|евн)\w{0,3}$")
_DEMONYM_SUFFIXES = ("erner", "ian", "ean", "ern", "ese", "ish", "an", "ic", "i", "n")
_LANGUAGE_ADJECTIVE = re.compile(r"(?:ish|ese|ch|an|i|ic|ek)$")


def _keys(names: Iterable[str]) -> set[tuple[str, ...]]:
    return {key for key in map(name_key, names) if key}


@dataclass(frozen=True)
class _Lexicon:
    """Stem keys of known names: their type, and the key of the canonical name (a country's
    English name) so that "США" and "Америка", or "US" and "United States", are one entity."""

    types: dict[tuple[str, ...], str]
    canonical: dict[tuple[str, ...], tuple[str, ...]]
    places: frozenset[str]  # English words of country, region and bloc names, casefolded
    whole_places: frozenset[str]  # one-word English country names, casefolded
    language_adjectives: frozenset[str]
    calendar: frozenset[tuple[str, ...]]  # month and weekday names: capitalised, yet not entities
    organisation_words: frozenset[str]
    group_words: frozenset[str]
    titles: frozenset[str]
    cyrillic_places: frozenset[str]  # one-word stems of Cyrillic country and bloc names


@cache
def lexicon() -> _Lexicon:
    """Built once from CLDR (through Babel) and the cue lists above."""
    locales = [Locale.parse(language) for language in CLDR_LANGUAGES]
    english = Locale.parse("en")
    types: dict[tuple[str, ...], str] = {}
    canonical: dict[tuple[str, ...], tuple[str, ...]] = {}

    def add(names: Iterable[str], kind: str, canonical_name: str | None = None) -> None:
        for key in _keys(names):
            types.setdefault(key, kind)
            if canonical_name:
                canonical.setdefault(key, name_key(canonical_name))

    codes = [code for code in english.territories if code.isalpha() and code not in ("EU", "EZ", "UN", "QO", "ZZ")]
    for code in codes:
        add((locale.territories.get(code, "") for locale in locales), COUNTRY, english.territories[code])
    for code, aliases in COUNTRY_ALIASES.items():
        add(aliases.split("|"), COUNTRY, english.territories[code])
    add((locale.time_zones.get(zone, {}).get("city", "") for zone in CAPITAL_ZONES for locale in locales), COUNTRY)
    add((zone.split("/")[1].replace("_", " ") for zone in CAPITAL_ZONES), COUNTRY)
    add(CAPITAL_ALIASES.split("|"), COUNTRY)
    for code in ("EU", "UN"):
        add((locale.territories.get(code, "") for locale in locales), ORGANISATION, english.territories[code])
    add(KNOWN_ORGANISATIONS.split("|"), ORGANISATION)
    regions = [code for code in english.territories if code.isdigit() and code != "001"] + ["EZ"]
    for code in regions:
        add((locale.territories.get(code, "") for locale in locales), GROUP, english.territories[code])
    add(BLOCS.split("|"), GROUP)

    english_places = [english.territories[code] for code in codes + regions] + BLOCS.split("|")[:2]
    english_places += [alias for code in COUNTRY_ALIASES for alias in COUNTRY_ALIASES[code].split("|")]
    calendar = set()
    for locale in locales:
        for table in (locale.months, locale.days):
            for context in ("format", "stand-alone"):
                calendar |= _keys(table[context]["wide"].values())
    return _Lexicon(
        types=types,
        canonical=canonical,
        places=frozenset(w.casefold() for name in english_places for w in name.split() if len(w) >= 4),
        whole_places=frozenset(name.casefold() for name in english_places if " " not in name),
        language_adjectives=frozenset(
            name.casefold() for name in english.languages.values()
            if " " not in name and len(name) >= 4 and _LANGUAGE_ADJECTIVE.search(name)
        ),
        calendar=frozenset(calendar),
        organisation_words=frozenset(map(_root, ORGANISATION_WORDS)),
        group_words=frozenset(map(_root, GROUP_WORDS)),
        titles=frozenset(map(_root, TITLES)),
        cyrillic_places=frozenset(
            key[0] for key in types if len(key) == 1 and len(key[0]) > MIN_STEM and _is_cyrillic(key[0])
        ),
    )


@cache
def demonym(word: str) -> str | None:
    """"singular" or "plural" when `word` is an English demonym ("Ukrainian", "Western",
    "Americans"): the word less a suffix begins a place name, or it names a language."""
    known = lexicon()
    word = word.casefold()
    plural = word.endswith("s") and not word.endswith("ss")
    singular = word[:-1] if plural else word
    if singular in known.whole_places:
        return None
    number = "plural" if plural else "singular"
    if singular in known.language_adjectives:
        return number
    for suffix in _DEMONYM_SUFFIXES:
        base = singular[: -len(suffix)]
        if singular.endswith(suffix) and len(base) >= 4:
            if any(p.startswith(base) and p != singular and len(p) - len(base) <= 2 for p in known.places):
                return number
    return None


def _root(word: str) -> str:
    """A word stemmed twice, so that a cue word and its inflections meet ("режим", "режима")."""
    return stem(stem(word))


def _without_article(key: tuple[str, ...]) -> tuple[str, ...]:
    return key[1:] if len(key) > 1 and key[0] in LEADING_ARTICLES else key


def canonical_key(key: tuple[str, ...]) -> tuple[str, ...]:
    """The key an entity is grouped by: without "the", and one key for one country's names."""
    key = _without_article(key)
    return lexicon().canonical.get(key, key)


def entity_type(text: str, mentions: list[FoundMention], gazetteer: Gazetteer) -> str | None:
    """Person, organisation, country or group for one entity's mentions in `text`, from the
    first cue that fires (known names, group nouns, organisation cues, person cues); None when
    nothing says."""
    known = lexicon()
    keys = sorted({_without_article(m.key) for m in mentions}, key=len, reverse=True)
    for key in keys:
        if key in known.types:
            return known.types[key]
    words = [token.text for m in mentions for token in tokenize(m.text)]
    if any(stem(key[-1]) in known.group_words for key in keys) or any(
        len(m.key) == 1 and (demonym(m.text) == "plural" or _cyrillic_demonym(m.key[0])) for m in mentions
    ):
        return GROUP
    acronym = any(word.isupper() and _ACRONYM.fullmatch(word) for word in words)
    if acronym or any(stem(word) in known.organisation_words for key in keys for word in key):
        return ORGANISATION
    if _person_cues(text, mentions, keys, gazetteer):
        return PERSON
    return None


def _person_cues(text: str, mentions: list[FoundMention], keys: list[tuple[str, ...]], gazetteer: Gazetteer) -> bool:
    """A title before a mention or opening it, a Slavic patronymic, a first name the gazetteer
    knows, a Hindi honorific after, or a full name whose surname the article also uses alone."""
    known = lexicon()
    for mention in mentions:
        before = tokenize(text[max(0, mention.start - 40) : mention.start])
        after = tokenize(text[mention.end : mention.end + 10])
        if before and stem(before[-1].text) in known.titles or after and after[0].text in HONORIFICS_AFTER:
            return True
    for key in keys:
        if stem(key[0]) in known.titles or any(stem(word) in known.titles for word in key[:-1]):
            return True
        if any(word in gazetteer.first_names for word in key[:-1]) or key in gazetteer.surnames:
            return True
    if any(_PATRONYMIC.match(word.casefold()) for m in mentions if len(m.key) > 1 for word in m.text.split()):
        return True
    singles = {key[0] for key in keys if len(key) == 1}
    return any(
        1 < len(m.key) <= 3 and m.key[-1] in singles and m.text.split()[0].casefold() not in gazetteer.common_words
        and not any(word[:1].islower() for word in m.text.split())
        for m in mentions
    )


def _cyrillic_demonym(word_stem: str) -> bool:
    """A Russian or Bulgarian noun for a people ("украинцы", "американците"): a place's stem, then "ц"."""
    places = lexicon().cyrillic_places
    at = word_stem.find("ц", MIN_STEM + 1)
    return at > 0 and any(word_stem[:k] in places for k in range(MIN_STEM + 1, at + 1))
