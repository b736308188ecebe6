"""Check-worthy claims: the sentences of an article most worth fact-checking, ranked.

A sentence is its e5 embedding plus a few cheap, mostly language-independent cues (numbers,
percentages, money, years, quotation marks, attribution verbs in the languages we read, length,
questions); one logistic regression trained on CheckThat! 2024 Task 1 (English debates) scores it,
and a Platt map fitted on debates the head never saw turns the score into a probability. The
embedding carries the model across languages; the cues say *why* a sentence is a claim (`kinds`:
number, event, quote, attribution).

What a user gets is a ranking, not a yes/no list: the `top_k` most check-worthy sentences of the
article, best first, each with its calibrated probability. A Yes/No cut tuned on one period
drifts on another (a new period's, outlet's or language's claims score lower or higher as a
whole: German news sentences sit well below English ones), and a cut that drifts empties or
floods the list; the order within an article does not move with it, and `k` depends only on the
article's length. The cut is still reported (`ClaimsResult.threshold`): it is CheckThat's Yes,
which the `claims` evaluation task scores.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from ..artifacts import load
from ..calibration import Platt
from ..encoder import get_encoder, sentence_embeddings
from ..linear import LinearHead
from ..model import Analysis, Claim, ClaimsResult
from . import info, register

MIN_WORDS = 4  # shorter sentences ("Thank you.", headlines of one phrase) are never claims
# The reading list (`top_k`): about a quarter of an article's sentences, the share of check-worthy
# sentences in the training debates, at least TOP_MIN and at most TOP_MAX; a sentence whose
# probability is under FLOOR (far below any cut the head was ever tuned to) is never listed.
TOP_SHARE = 0.25
TOP_MIN, TOP_MAX = 3, 10
FLOOR = 0.1

_NUMBER = re.compile(r"\d")
_PERCENT = re.compile(r"%|\bper ?cent\b|процент|por cento|porcento|प्रतिशत", re.IGNORECASE)
_MONEY = re.compile(
    r"[$€£₽₴₹]|\b(?:dollars?|euros?|pounds?|rubles?|roubles?|hryvnias?|bucks)\b|"
    r"\b(?:million|billion|trillion)\b|млн|млрд|трлн|милион|милиард|долар|евро|рубл|"
    r"milhões|milhão|bilhões|mil milhões|reais|dólares|करोड़|लाख|अरब|डॉलर|रुपये",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)\b")
_DATE_WORD = re.compile(
    r"\b(?:yesterday|today|last (?:week|month|year)|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"january|february|march|april|may|june|july|august|september|october|november|december)\b|"
    r"вчера|сегодня|днес|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
    r"януари|февруари|април|юни|юли|септември|октомври|ноември|декември|"
    r"ontem|janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro|"
    r"कल|आज|जनवरी|फरवरी|मार्च|अप्रैल|मई|जून|जुलाई|अगस्त|सितंबर|अक्टूबर|नवंबर|दिसंबर",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"[\"“”«»„]")
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|told|stated|claimed|announced|reported|according to|confirmed|admitted|warned)\b|"
    r"заявил|сказал|сообщил|по словам|по данным|утверждает|признал|заяви|каза|съобщи|според|"
    r"\bdisse\b|afirmou|declarou|segundo|de acordo com|anunciou|कहा|के अनुसार|बताया|दावा",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|we|we're|my|our)\b")

KINDS = {
    "number": lambda s: bool(_NUMBER.search(s) or _PERCENT.search(s) or _MONEY.search(s)),
    "event": lambda s: bool(_YEAR.search(s) or _DATE_WORD.search(s)),
    "quote": lambda s: len(_QUOTE.findall(s)) >= 2,
    "attribution": lambda s: bool(_ATTRIBUTION.search(s)),
}


def claim_kinds(sentence: str) -> list[str]:
    """Which kinds of checkable content a sentence carries, from simple detectors."""
    return [kind for kind, detect in KINDS.items() if detect(sentence)]


def lexical_features(sentence: str) -> np.ndarray:
    """Cheap cues, scaled to about [0, 1]."""
    words = max(len(sentence.split()), 1)
    return np.array(
        [
            min(len(_NUMBER.findall(sentence)), 8) / 8,
            bool(_PERCENT.search(sentence)),
            bool(_MONEY.search(sentence)),
            bool(_YEAR.search(sentence)),
            bool(_DATE_WORD.search(sentence)),
            len(_QUOTE.findall(sentence)) >= 2,
            bool(_ATTRIBUTION.search(sentence)),
            bool(_FIRST_PERSON.search(sentence)),
            sentence.rstrip().endswith("?"),
            min(np.log1p(words) / np.log(80), 1.0),
            sum(w[:1].isupper() for w in sentence.split()[1:]) / words,
        ],
        dtype=np.float32,
    )


def claim_features(embeddings: np.ndarray, sentences: list[str]) -> np.ndarray:
    lexical = np.stack([lexical_features(s) for s in sentences]) if sentences else np.zeros((0, 11))
    return np.hstack([embeddings, lexical]).astype(np.float32)


def top_k(sentences: int) -> int:
    """How many claims an article of `sentences` eligible sentences lists (see `TOP_SHARE`)."""
    return min(sentences, max(TOP_MIN, min(TOP_MAX, math.ceil(TOP_SHARE * sentences))))


def listed(probabilities: Sequence[float], texts: Sequence[str]) -> list[int]:
    """Which of an article's sentences it lists as claims, best first: the `top_k` most probable
    of those with at least `MIN_WORDS` words, leaving out any under `FLOOR` (ties: earlier first)."""
    eligible = [i for i, text in enumerate(texts) if len(text.split()) >= MIN_WORDS]
    eligible.sort(key=lambda i: (-probabilities[i], i))
    return [i for i in eligible[: top_k(len(eligible))] if probabilities[i] >= FLOOR]


class Claims:
    name = "claims"

    def __init__(self, arrays: dict[str, np.ndarray], card: dict):
        self.version = card["version"]
        self.labels = ("Yes", "No")
        self.head = LinearHead.from_arrays(arrays, "claim")
        self.calibration = Platt.from_arrays(arrays, "claim")
        self.threshold = float(card["threshold"])

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Calibrated probability that each text is a check-worthy claim."""
        return self._proba(get_encoder().encode(texts), texts)

    def _proba(self, embeddings: np.ndarray, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0)
        return self.calibration(self.head.scores(claim_features(embeddings, texts)))[:, 0]

    def __call__(self, analysis: Analysis) -> Analysis:
        document = analysis.document
        sentences = document.sentences
        texts = [document.text[s.start : s.end] for s in sentences]
        probabilities = self._proba(sentence_embeddings(document), texts)
        claims = [
            Claim(
                start=sentences[i].start,
                end=sentences[i].end,
                score=round(float(probabilities[i]), 4),
                rank=rank,
                kinds=claim_kinds(texts[i]),
            )
            for rank, i in enumerate(listed(probabilities, texts), start=1)
        ]
        analysis.results.claims = ClaimsResult(component=info(self), claims=claims, threshold=round(self.threshold, 4))
        return analysis


@register("claims")
def create_claims() -> Claims:
    return Claims(*load("claims"))
