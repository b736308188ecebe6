"""Check-worthy claims: statistics rank above small talk, kinds are detected, offsets hold."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES
from narrascope.components import create
from narrascope.components.claims import claim_kinds
from narrascope.core import read_document
from narrascope.ingest import RawDocument
from narrascope.model import Analysis

ARTICLES = json.loads((FIXTURES / "narratives" / "articles.json").read_text())


@pytest.fixture(scope="module")
def claims():
    return create("claims")


def test_a_statistic_is_a_claim_and_small_talk_is_not(claims):
    statistic, courtesy = claims.predict_proba([ARTICLES["statistic"], ARTICLES["courtesy"]])
    assert statistic >= claims.threshold > courtesy
    assert statistic - courtesy > 0.3


def test_claims_in_an_article_are_ranked_and_slice_back(claims):
    text = "\n\n".join([ARTICLES["courtesy"], ARTICLES["statistic"], "Der Haushalt stieg 2023 um 12 Prozent auf 4,2 Milliarden Euro."])
    analysis = claims(Analysis(document=read_document(RawDocument(source="<text>", content=text, kind="text"))))
    found = analysis.results.claims.claims
    assert [c.rank for c in found] == list(range(1, len(found) + 1))
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    quoted = [analysis.document.text[c.start : c.end] for c in found]
    assert ARTICLES["statistic"] in quoted
    assert ARTICLES["courtesy"] not in quoted


def test_claim_kinds_come_from_simple_detectors():
    assert claim_kinds(ARTICLES["statistic"]) == ["number", "event", "attribution"]
    assert claim_kinds('"We will win," the minister said on Monday.') == ["event", "quote", "attribution"]
    assert claim_kinds(ARTICLES["courtesy"]) == []


def test_no_sentences_give_no_probabilities(claims):
    assert claims.predict_proba([]).shape == (0,)
