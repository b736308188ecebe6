"""What names are known to be, without a pretrained NER model: country, bloc, capital and month
names in every corpus language from CLDR (through Babel), and the cue words that tell an
organisation, a group or a person (organisation nouns, group nouns, titles). Also English demonym
adjectives ("Ukrainian", "Western"), which are not names on their own."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from babel import Locale

from .words import MIN_STEM, is_cyrillic, name_key, root

PERSON, ORGANISATION, COUNTRY, PLACE, GROUP = "person", "organisation", "country", "place", "group"
# The languages whose CLDR names of countries, blocs, capitals and months are looked up.
CLDR_LANGUAGES = ("en", "fr", "de", "it", "pl", "ru", "bg", "pt", "pt_PT", "hi", "es", "el", "ka", "uk")
LEADING_ARTICLES = frozenset("the".split())
# Capitals CLDR names through a time zone of the same name. A capital often stands for its
# country's government ("Moscow says"), yet it is a city: typed as a place, its own entity.
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
HONORIFICS_AFTER = frozenset({"जी"})  # Hindi writes respect after the name ("मोदी जी")
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
    add((locale.time_zones.get(zone, {}).get("city", "") for zone in CAPITAL_ZONES for locale in locales), PLACE)
    add((zone.split("/")[1].replace("_", " ") for zone in CAPITAL_ZONES), PLACE)
    add(CAPITAL_ALIASES.split("|"), PLACE)
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
        organisation_words=frozenset(map(root, ORGANISATION_WORDS)),
        group_words=frozenset(map(root, GROUP_WORDS)),
        titles=frozenset(map(root, TITLES)),
        cyrillic_places=frozenset(
            key[0] for key in types if len(key) == 1 and len(key[0]) > MIN_STEM and is_cyrillic(key[0])
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



def without_article(key: tuple[str, ...]) -> tuple[str, ...]:
    return key[1:] if len(key) > 1 and key[0] in LEADING_ARTICLES else key


def canonical_key(key: tuple[str, ...]) -> tuple[str, ...]:
    """The key an entity is grouped by: without "the", and one key for one country's names."""
    key = without_article(key)
    return lexicon().canonical.get(key, key)

