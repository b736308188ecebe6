"""Page furniture that survives extraction, recognised line by line.

The same classifier cleans trafilatura's output and text pasted from a page: language
switchers, "Follow us", share bars, newsletter boxes, "Read also" lists, author bios, cookie
notices, copyright lines, ads, photo credits, contact lines, comment and subscription calls.
Rules match whole short lines, so a body sentence that merely mentions a newsletter stays:
precision matters more than recall inside the body. The rules added for the extraction
development set were chosen on its `fit` half only.
"""

from __future__ import annotations

import re

LANGUAGE_NAMES = {
    name.casefold()
    for name in (
        "EN ENG FR FRA DE DEU GER IT ITA PL POL RU RUS BG BUL PT POR HI ES ESP EL GR KA GE GEO UK UA UKR "
        "NL AR TR ZH CN JA RO CS "
        "English Français Francais Deutsch Italiano Polski Русский Български Português Portugues "
        "हिन्दी हिंदी Español Espanol Ελληνικά ქართული Українська Nederlands العربية Türkçe Română "
        "中文 日本語 Čeština Srpski Српски Беларуская Қазақша Eesti Latviešu Lietuvių Magyar"
    ).split()
}
SOCIAL_NAMES = {
    name.casefold()
    for name in (
        "Facebook Twitter X Telegram YouTube Instagram LinkedIn VK VKontakte ВКонтакте ВК "
        "Одноклассники OK WhatsApp Viber TikTok Threads Bluesky Mastodon Reddit RSS Email E-mail "
        "Mail Pinterest Flipboard Messenger Signal Дзен Zen Print Copy link Copy Link"
    ).split()
}

_SEPARATORS = re.compile(r"\s*[|/·•,;]\s*|\s+")


def _words(line: str) -> list[str]:
    return [w for w in _SEPARATORS.split(line) if w]


def _phrase(*phrases: str) -> re.Pattern[str]:
    """A line that is one of `phrases`, optionally followed by a colon, an arrow or ellipsis."""
    return re.compile(r"^(?:" + "|".join(phrases) + r")\s*[:：»›>→…]*$", re.IGNORECASE)


def _lead(*phrases: str) -> re.Pattern[str]:
    """A line that starts with one of `phrases`."""
    return re.compile(r"^(?:" + "|".join(phrases) + r")(?!\w)", re.IGNORECASE)


RELATED_HEADING = _phrase(
    r"more on (?:this|the) (?:topic|subject|story)", r"related(?: articles| stories| content| news)?",
    r"read (?:also|more|next)", r"see also", r"you (?:may|might) also (?:like|be interested in)",
    r"more from [\w ]{1,30}", r"recommended(?: for you)?", r"most read",
    r"sur le même sujet", r"(?:à )?lire aussi", r"voir aussi", r"dans la même rubrique", r"les plus lus",
    r"читайте также", r"(?:ещ[её] )?по теме", r"(?:другие )?материалы по теме", r"смотрите также", r"популярное",
    r"mehr zum thema(?: auf [\w.-]+)?", r"lesen sie auch(?: die folgenden beiträge)?", r"das könnte sie auch interessieren",
    r"meistgelesen", r"schon gelesen\??", r"(?:weitere|mehr) (?:artikel|beiträge|themen|nachrichten)(?: zum thema)?",
    r"kommentierte artikel", r"(?:vorschau auf den )?nächsten artikel", r"(?:next|previous) (?:article|post|story)",
    r"leggi anche", r"potrebbe interessarti", r"articoli correlati",
    r"lee también", r"te puede interesar", r"noticias relacionadas", r"más sobre [\w ]{1,30}",
    r"leia também", r"leia mais", r"veja também", r"notícias relacionadas",
    r"czytaj (?:też|także|więcej)", r"zobacz (?:też|także)", r"polecamy",
    r"прочетете (?:още|също)", r"още по темата", r"свързани (?:статии|новини)",
    r"читайте також", r"більше на тему",
    r"διαβάστε (?:επίσης|ακόμη)", r"σχετικά άρθρα",
    r"यह भी पढ़ें", r"संबंधित (?:खबरें|ख़बरें|लेख)", r"ასევე წაიკითხეთ",
)
BIO_HEADING = _phrase(
    r"about the authors?", r"à propos de l'auteur(?:e)?", r"l'auteur(?:e)?", r"об авторе", r"über (?:den|die) autor(?:in)?",
    r"sull'autore", r"sobre el autor", r"sobre o autor", r"o autorze", r"за автора", r"про автора",
)
_INLINE_RELATED = _lead(
    r"(?:read|see) (?:also|more)\s*:", r"also read\s*:", r"(?:à )?lire aussi\s*:", r"(?:à )?voir aussi\s*:", r"читайте также\s*:",
    r"lesen sie (?:auch|mehr)\s*:", r"mehr dazu\s*:", r"auch interessant\s*:", r"lesetipp\s*:", r"leggi anche\s*:",
    r"(?:también )?(?:le|te) puede interesar\s*:", r"le recomendamos\s*:", r"lea también\s*:", r"lee también\s*:",
    r"(?:mire|mira|vea|ver)(?: también)?\s*:", r"leia (?:também|mais)\s*:", r"veja também\s*:", r"saiba mais\s*:",
    r"czytaj (?:też|także|więcej)\s*:", r"zobacz (?:też|także)\s*:", r"прочетете още\s*:", r"читайте також\s*:", r"यह भी पढ़ें\s*:",
)
_FOLLOW = _lead(
    r"follow us", r"find us on", r"suivez[- ]nous", r"retrouvez[- ]nous", r"подписывайтесь", r"следите за нами",
    r"мы в (?:telegram|соцсетях)", r"folgen sie uns", r"seguici", r"síguenos", r"siga-nos", r"segue-nos",
    r"obserwuj nas", r"последвайте ни", r"стежте за нами", r"слідкуйте за нами", r"підписуйтесь", r"ακολουθήστε μας",
    r"हमें (?:फॉलो|फ़ॉलो) करें", r"გამოგვყევით",
)
# A share bar is share verbs, social networks and the small words between them, in any order
# ("Share on Facebook…", "Auf Facebook teilen", "Udostępnij na Facebooku", "Facebook पर शेयर करें").
SHARE_WORDS = {
    word.casefold()
    for word in (
        "share shares sharing tweet partager partagez teilen condividi compartir compartilhar partilhar "
        "udostępnij поделиться поделись поділитися сподели споделете κοινοποίηση κοινοποιήστε μοιραστείτε "
        "शेयर साझा გაზიარება გააზიარე"
    ).split()
}
_SHARE_FILLERS = {
    word.casefold()
    for word in (
        "on via with to this article story post page it by e-mail email sur cet cette article auf den diesen artikel su "
        "questo articolo en este artículo no na nesta este artigo на в во във ву у статьей статтею "
        "στο στην το άρθρο पर करें करे इसे ზე"
    ).split()
}
_SHARE_WORD = re.compile(r"[^\s|/·•,;:!?()\[\]…\"“”«»+]+")
MAX_SHARE_BAR_WORDS = 16


def _is_social(word: str) -> bool:
    """A network's name, inflected too ("Facebooku", "Twitterze", "Facebook-ზე")."""
    return word in SOCIAL_NAMES or any(word.startswith(name) for name in _INFLECTED_SOCIAL_NAMES)


_INFLECTED_SOCIAL_NAMES = tuple(name for name in SOCIAL_NAMES if len(name) >= 5)


def is_share_bar(line: str) -> bool:
    """Share verbs with nothing but networks and small words around them."""
    words = []
    for match in _SHARE_WORD.finditer(line):  # stops early: most lines are long paragraphs
        word = match.group().casefold().strip(".-")
        if word:
            words.append(word)
            if len(words) > MAX_SHARE_BAR_WORDS:
                return False
    if not any(w in SHARE_WORDS for w in words):
        return False
    return all(w in SHARE_WORDS or w in _SHARE_FILLERS or _is_social(w) for w in words)


SKIP_LINK = _phrase(
    r"skip to (?:main )?(?:content|navigation|menu)", r"jump to (?:main )?(?:content|navigation)",
    r"aller au (?:contenu|menu)(?: principal)?", r"passer au contenu(?: principal)?", r"(?:direkt )?zum inhalt(?: springen)?",
    r"zur navigation(?: springen)?", r"vai al (?:contenuto|menu)(?: principale)?", r"salta al contenuto",
    r"przejdź do (?:treści|zawartości|menu)", r"перейти к (?:основному )?(?:содержимому|содержанию|контенту)",
    r"saltar al (?:contenido|menú)(?: principal)?", r"ir (?:para|ao) o? ?conteúdo(?: principal)?",
    r"μετάβαση στο (?:κύριο )?περιεχόμενο", r"към (?:основното )?съдържание(?:то)?", r"перейти до (?:основного )?(?:вмісту|змісту)",
    r"सामग्री पर (?:जाएं|जाएँ)", r"მთავარ შინაარსზე გადასვლა",
)
# A call to sign up, not a sentence about newsletters: an imperative at the start, "our
# newsletter", or an e-mail field's label.
_NEWSLETTER = re.compile(
    r"^(?:subscribe|sign up|join|get|receive|abonnez|inscrivez|recevez|abonnieren sie|melden sie sich|"
    r"iscriviti|ricevi|suscríbete|recibe|assine|inscreva|receba|zapisz się|subskrybuj|otrzymuj|"
    r"подпишитесь|подписаться|получайте|абонирайте|получавайте|підпишіться|отримуйте|εγγραφείτε|λάβετε|"
    r"გამოიწერეთ)(?!\w)"
    r".*(?:newsletter|inbox|e-?mail|boîte|рассылк|бюлетин|розсилк|boletín|correo|postfach|posta|skrzynk|სიახლე)|"
    r"न्यूज़?लेटर|newsletter के लिए|"
    r"\b(?:our|the) (?:daily |weekly )?newsletter|\b(?:notre|nos) (?:newsletter|lettre)|нашу рассылку|"
    r"unseren newsletter|nostra newsletter|nuestro boletín|nossa newsletter|naszego newslettera|"
    r"^(?:newsletter|sign up|subscribe|your e-?mail(?: address)?|votre (?:adresse )?e-?mail|ihre e-?mail-adresse|"
    r"ваш e-?mail|ваш email|enter your e-?mail)[\s:.!]*$",
    re.IGNORECASE,
)
_COOKIE = re.compile(r"cookie|куки", re.IGNORECASE)
_COOKIE_VERB = re.compile(
    r"\b(?:we use|uses|accept|utilis|verwende|nutzt|usiamo|utilizz|utilizamos|usamos|utiliza|używa|"
    r"использу|используем|използва|викорис|χρησιμοποι)", re.IGNORECASE,
)
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright\b)|all rights reserved|tous droits réservés|все права защищены|"
    r"alle rechte vorbehalten|tutti i diritti riservati|todos los derechos reservados|"
    r"todos os direitos reservados|wszelkie prawa zastrzeżone|всички права запазени|усі права захищені|"
    r"με επιφύλαξη παντός δικαιώματος",
    re.IGNORECASE,
)
_ADVERTISEMENT = _phrase(
    r"advertisement", r"sponsored(?: content)?", r"ad", r"publicité", r"реклама", r"anzeige", r"werbung",
    r"pubblicità", r"publicidad", r"publicidade", r"reklama", r"διαφήμιση", r"विज्ञापन", r"scroll to continue(?: with content)?",
)
_READING_TIME = re.compile(
    r"^(?:(?:reading time|temps de lecture|lesezeit|время чтения|tempo di lettura|tiempo de lectura|"
    r"tempo de leitura|czas czytania)\s*:?\s*)?\d+\s*(?:min(?:ute)?s?\.?|мин\.?)(?:\s*(?:read|de lecture|lesen|чтения|di lettura|de lectura|de leitura))?$",
    re.IGNORECASE,
)
_TAGS = _lead(r"tags\s*:", r"topics\s*:", r"mots[- ]clés\s*:", r"schlagwörter\s*:", r"теги\s*:", r"тэги\s*:", r"etichette\s*:",
              r"etiquetas\s*:", r"tagi\s*:", r"етикети\s*:", r"ετικέτες\s*:")
_COMMENTS = _phrase(
    r"comments?(?: \(\d+\))?", r"\d+ comments?", r"no comments(?: yet)?", r"leave a (?:comment|reply)", r"(?:write|add|post) a comment",
    r"commentaires?", r"aucun commentaire", r"комментарии(?: \(\d+\))?", r"kommentare(?: insgesamt)?(?:\s*:?\s*\d+)?",
    r"\d+ kommentare?", r"keine kommentare(?: \(.*\))?", r"kommentar schreiben", r"commenti", r"comentarios", r"sin comentarios",
    r"comentários", r"komentarze",
)
# a call to comment or to log in to comment, not a sentence about comments
_COMMENT_CALL = re.compile(
    r"\b(?:in den kommentaren|in the comments|dans les commentaires|en los comentarios|nei commenti|nos comentários|w komentarzach)\b.*[:?!]|"
    r"(?:kommentieren|comment|commenter|comentar)\b.*\b(?:eingeloggt|angemeldet|logged in|log in|sign in|connecté|registrad)",
    re.IGNORECASE,
)
# "Jane Doe is a columnist who ...", "Jean Dupont est journaliste ...", "Иван Петров — обозреватель ..."
_BIO = re.compile(
    r"^(?:[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐΑ-Ω][\w’'.-]+\s+){1,3}"
    r"(?:is|was|est|était|ist|war|è|es|é|jest|е|є|είναι|—|–|-)\s+"
    r"(?:(?:a|an|the|un|une|ein|eine|uno|una|um|uma|o|a|el|la|il|der|die|das)\s+)?"
    r"(?:[\w-]+\s+){0,4}?"
    r"(?:columnist|journalist|writer|editor|correspondent|reporter|analyst|author|contributor|fellow|professor|"
    r"researcher|commentator|chroniqueu(?:r|se)|journaliste|éditorialiste|rédact(?:eur|rice)|correspondant(?:e)?|"
    r"analyste|auteur|autrice|écrivain|professeu?r|cherch(?:eur|euse)|kolumnist|journalist(?:in)?|korrespondent(?:in)?|"
    r"redakteur(?:in)?|autor(?:in)?|giornalista|editorialista|corrispondente|scrittore|scrittrice|periodista|columnista|"
    r"analista|escritor(?:a)?|jornalista|colunista|dziennikar\w*|publicyst\w*|felietonist\w*|analityk\w*|"
    r"журналист\w*|обозревател\w*|колумнист\w*|политолог\w*|аналитик\w*|редактор\w*|корреспондент\w*|писател\w*|"
    r"эксперт\w*|анализатор\w*|оглядач\w*|δημοσιογράφος|αρθρογράφος|αναλυτής)\b",
    re.IGNORECASE,
)
_COPYRIGHT_HOLDER = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?[\s,]*(?P<holder>[^.|©]{2,60}?)\s*(?:[.|]|$)",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^\(?(?:photos?|fotos?|bild(?:er|quelle)?|images?|credits?|crédits? photos?|photo credits?|quelle|source|fuente|fonte|"
    r"źródło|источник|джерело|източник)\s*:", re.IGNORECASE,
)
MAX_LABEL_LINE_WORDS = 10  # a credit, contact or update line: a label and a short value
_CONTACT = re.compile(
    r"^(?:(?:kontakt|contact|pressekontakt|press contact|media contact|ansprechpartner(?:in)?(?: zum thema)?)\s*:?|"
    r"(?:telefon|tel\.?|phone|fax|e-?mail)\s*:.*)$",
    re.IGNORECASE,
)
LISTING_HEADING = _phrase(
    r"weitere informationen(?: zum [\w ]{1,40})?", r"more information", r"further information", r"inhaltsverzeichnis",
    r"table of contents", r"kategorien", r"categories", r"temas", r"themen",
)
_UPDATED = re.compile(
    r"^(?:letzte änderung|zuletzt (?:aktualisiert|geändert)|last (?:updated|modified))\s*(?:am|on)?\s*:?\s*[\d./-]+", re.IGNORECASE
)
_SUBSCRIPTION = re.compile(
    r"\b(?:already a subscriber\b.*\b(?:log|sign) in|please subscribe|subscribe (?:now|today)|become a (?:member|subscriber)|support (?:us|our journalism)|"
    r"sign up here|hazte (?:miembro|socio)|jetzt abonnieren|unterstützen sie uns|unterstütze \w+)\b", re.IGNORECASE,
)
_EMBED_NOTICE = re.compile(
    r"(?:klicken sie|click)\b.*\b(?:inhalt|content)\b.*\b(?:laden|load)|externer inhalt|external content", re.IGNORECASE
)
_ADVERTISING_NOTE = re.compile(r"^\*?(?:werbung|anzeige|advertisement|sponsored|publicidad)\s*[.:*]", re.IGNORECASE)
MAX_FURNITURE_WORDS = 25  # newsletter boxes, cookie notices: longer lines are body text
MAX_HEADLINE_WORDS = 20
MAX_NEWSLETTER_WORDS = 15


def _only_from(words: list[str], vocabulary: set[str]) -> bool:
    return len(words) >= 1 and all(w.casefold() in vocabulary for w in words)


def _is_navigation(line: str) -> bool:
    """A menu: three or more short items between bars or bullets ("Home | World | Opinion")."""
    items = [item.strip() for item in re.split(r"\s[|·•»›]\s|\s[|·•»›]$", line) if item.strip()]
    return len(items) >= 3 and all(len(item.split()) <= 3 and not item.endswith(".") for item in items)


def line_reason(line: str) -> str | None:
    """Why a stripped line is page furniture ("share bar", "newsletter", …), or None for text."""
    words = _words(line)
    n_words = len(line.split())
    if len(words) >= 2 and _only_from(words, LANGUAGE_NAMES):
        return "language switcher"
    if _FOLLOW.match(line) and n_words <= MAX_FURNITURE_WORDS:
        return "follow us"
    if SKIP_LINK.match(line):
        return "skip link"
    if is_share_bar(line):
        return "share bar"
    if _only_from(words, SOCIAL_NAMES) and n_words <= 12:
        return "social links"
    if n_words <= MAX_NEWSLETTER_WORDS and _NEWSLETTER.search(line):
        return "newsletter"
    if n_words <= 2 * MAX_FURNITURE_WORDS and _COOKIE.search(line) and _COOKIE_VERB.search(line):
        return "cookie notice"
    if n_words <= MAX_FURNITURE_WORDS and _COPYRIGHT.search(line):
        return "copyright"
    if _ADVERTISEMENT.match(line):
        return "advertisement"
    if _READING_TIME.match(line):
        return "reading time"
    if _TAGS.match(line) and n_words <= MAX_FURNITURE_WORDS:
        return "tags"
    if _COMMENTS.match(line) or n_words <= MAX_FURNITURE_WORDS and _COMMENT_CALL.search(line):
        return "comments"
    if n_words <= MAX_LABEL_LINE_WORDS and _CREDIT.match(line):
        return "credit"
    if n_words <= MAX_LABEL_LINE_WORDS and _CONTACT.match(line):
        return "contact"
    if LISTING_HEADING.match(line):
        return "listing heading"
    if n_words <= MAX_LABEL_LINE_WORDS and _UPDATED.match(line):
        return "updated"
    if n_words <= MAX_FURNITURE_WORDS and _SUBSCRIPTION.search(line):
        return "subscription"
    if n_words <= MAX_FURNITURE_WORDS and _EMBED_NOTICE.search(line):
        return "embed notice"
    if n_words <= MAX_NEWSLETTER_WORDS and _ADVERTISING_NOTE.match(line):
        return "advertisement"
    if _INLINE_RELATED.match(line) and n_words <= MAX_HEADLINE_WORDS + 3:
        return "related link"
    if _is_navigation(line):
        return "navigation"
    return None


def copyright_holder(line: str) -> str | None:
    """The name in a copyright line ("© 2024 The Courier. All rights reserved." → "The Courier")."""
    match = _COPYRIGHT_HOLDER.match(line)
    return match.group("holder").strip() if match else None


def is_headline_like(line: str) -> bool:
    """Short and not closed by a full stop: how links in a "Read also" list look."""
    return len(line.split()) <= MAX_HEADLINE_WORDS and not line.rstrip().endswith((".", ":", ";"))


def is_bio(line: str) -> bool:
    return len(line.split()) <= 80 and _BIO.match(line) is not None


FOOT_LINES = 4  # author bios are looked for among the last lines of a page only


def classify_lines(lines: list[str]) -> dict[int, str]:
    """Reasons for the furniture among stripped non-empty `lines`, by index. Beyond single
    lines: a "More on this topic" heading takes the headlines after it, an "About the author"
    heading the line after it, and a bio sentence counts only among the last lines."""
    reasons: dict[int, str] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        if RELATED_HEADING.match(line):
            reasons[index] = "related links"
            index += 1
            while index < len(lines) and is_headline_like(lines[index]) and not line_reason(lines[index]):
                reasons[index] = "related links"
                index += 1
            continue
        if BIO_HEADING.match(line):  # the heading and the bio paragraph under it
            reasons.update({i: "author bio" for i in range(index, min(index + 2, len(lines)))})
            index += 2
            continue
        reason = line_reason(line)
        if reason:
            reasons[index] = reason
        index += 1
    body = [i for i in range(len(lines)) if i not in reasons]
    for i in body[-FOOT_LINES:]:
        if is_bio(lines[i]):
            reasons[i] = "author bio"
    return reasons
