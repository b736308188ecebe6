"""Check-worthy claims: the shipped head ranks checkable facts above opinion and rhetoric in news
it never saw (English, German, Spanish), lists an article's top k whatever the Yes/No cut or a
uniform drift of its scores, detects kinds, and its offsets hold."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import FIXTURES
from narrascope.calibration import Platt
from narrascope.components import create
from narrascope.components.claims import FLOOR, claim_kinds, top_k
from narrascope.core import read_document
from narrascope.ingest import RawDocument
from narrascope.model import Analysis

ARTICLES = json.loads((FIXTURES / "narratives" / "articles.json").read_text())
NEWS = json.loads((FIXTURES / "claims" / "news.json").read_text())["articles"]


@pytest.fixture(scope="module")
def claims():
    return create("claims")


def analysed(claims, text: str) -> Analysis:
    return claims(Analysis(document=read_document(RawDocument(source="<text>", content=text, kind="text"))))


def test_a_statistic_is_a_claim_and_small_talk_is_not(claims):
    statistic, courtesy = claims.predict_proba([ARTICLES["statistic"], ARTICLES["courtesy"]])
    assert statistic >= claims.threshold > courtesy
    assert statistic - courtesy > 0.3


@pytest.mark.parametrize("article", NEWS, ids=[a["title"] for a in NEWS])
def test_in_news_every_checkable_sentence_ranks_above_every_opinion(claims, article):
    sentences = [text for text, _ in article["sentences"]]
    checkable = np.array([flag for _, flag in article["sentences"]])
    probabilities = claims.predict_proba(sentences)
    assert probabilities[checkable].min() > probabilities[~checkable].max(), [
        (round(float(p), 2), s) for p, s in sorted(zip(probabilities, sentences), reverse=True)
    ]


@pytest.mark.parametrize("article", NEWS, ids=[a["title"] for a in NEWS])
def test_an_articles_listed_claims_are_its_checkable_sentences_best_first(claims, article):
    analysis = analysed(claims, "\n\n".join(text for text, _ in article["sentences"]))
    result = analysis.results.claims
    listed = [analysis.document.text[c.start : c.end] for c in result.claims]
    checkable = {text for text, flag in article["sentences"] if flag}
    assert len(listed) == top_k(len(article["sentences"])) and set(listed) <= checkable
    assert [c.rank for c in result.claims] == list(range(1, len(listed) + 1))
    assert [c.score for c in result.claims] == sorted((c.score for c in result.claims), reverse=True)
    assert result.threshold == pytest.approx(claims.threshold, abs=1e-4)


def test_the_list_does_not_move_with_the_cut_or_a_drift_of_every_score(claims):
    """A later period or another language shifts every score of an article (German news sits
    well below English); the ranked list is what a user reads, and it must not change."""
    sentences = [text for article in NEWS for text, _ in article["sentences"]]
    text = "\n\n".join(sentences)
    before = analysed(claims, text).results.claims.claims
    drifted = create("claims")
    drifted.threshold = 0.95
    drifted.calibration = Platt(claims.calibration.a, claims.calibration.b - 1.5)  # odds / 4.5 for every sentence
    after = analysed(drifted, text).results.claims.claims
    assert [(c.start, c.rank) for c in after] == [(c.start, c.rank) for c in before]
    assert all(a.score < b.score for a, b in zip(after, before))
    passing = [int((head.predict_proba(sentences) >= claims.threshold).sum()) for head in (claims, drifted)]
    assert passing[1] < passing[0]  # a list cut at the threshold would have shrunk


def test_k_follows_the_length_of_the_article():
    assert [top_k(n) for n in (0, 2, 3, 8, 13, 20, 40, 200)] == [0, 2, 3, 3, 4, 5, 10, 10]


def test_claims_in_an_article_are_ranked_and_slice_back(claims):
    budget = "Der Haushalt stieg 2023 um 12 Prozent auf 4,2 Milliarden Euro."
    text = "\n\n".join([ARTICLES["courtesy"], ARTICLES["statistic"], budget])
    analysis = analysed(claims, text)
    found = analysis.results.claims.claims
    quoted = [analysis.document.text[c.start : c.end] for c in found]
    assert ARTICLES["statistic"] in quoted and len(quoted) == 2
    assert ARTICLES["courtesy"] not in quoted  # under the floor: never listed, even in a short text
    assert claims.predict_proba([ARTICLES["courtesy"]])[0] < FLOOR


def test_claim_kinds_come_from_simple_detectors():
    assert claim_kinds(ARTICLES["statistic"]) == ["number", "event", "attribution"]
    assert claim_kinds('"We will win," the minister said on Monday.') == ["event", "quote", "attribution"]
    assert claim_kinds(ARTICLES["courtesy"]) == []


def test_no_sentences_give_no_probabilities(claims):
    assert claims.predict_proba([]).shape == (0,)
