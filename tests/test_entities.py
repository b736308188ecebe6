"""Entity mentions found in raw text, grouped across inflections, and their roles."""

from __future__ import annotations

import json

import pytest

from narrascope.components import create
from narrascope.core import read_document
from narrascope.ingest import RawDocument
from narrascope.model import Analysis, Entity, EntityMention, LabelScore, Span
from narrascope.mentions import Gazetteer, find_mentions, group_mentions, stem
from narrascope.report.summary import entity_role, fine_roles
from narrascope.taxonomy import FINE_ROLES, MAIN_ROLES

from conftest import FIXTURES

ARTICLES = json.loads((FIXTURES / "narratives" / "articles.json").read_text())


def document(text: str):
    return read_document(RawDocument(source="<text>", content=text, kind="text"))


@pytest.fixture(scope="module")
def entities():
    return create("entities")


def names(found, group):
    return sorted(found[i].text for i in group)


def test_russian_inflections_of_one_name_are_one_entity():
    doc = document(ARTICLES["russian_names"])
    found = find_mentions(doc, Gazetteer.learn([]))
    groups = [names(found, g) for g in group_mentions(found)]
    putin = [g for g in groups if "Путина" in g]
    assert len(putin) == 1
    assert {"Путин", "Путина", "Путиным", "Владимир Путин"} == set(putin[0])


def test_gazetteer_matches_inflected_forms_and_caseless_scripts():
    gazetteer = Gazetteer.learn(["Украина", "नरेंद्र मोदी", "NATO"])
    doc = document("Помощь Украине растёт. Для Украины это важно.\n\nनरेंद्र मोदी ने कहा कि NATO बड़ा है।")
    found = {m.text for m in find_mentions(doc, gazetteer)}
    assert {"Украине", "Украины", "नरेंद्र मोदी", "NATO"} <= found
    assert stem("Украине") == stem("Украина")


def test_sentence_opening_words_are_not_names(entities):
    doc = document("The minister left. But the talks went on in Brussels with Ursula von der Leyen.")
    found = {m.text for m in find_mentions(doc, entities.gazetteer)}
    assert {"Brussels", "Ursula von der Leyen"} <= found
    assert not {"The", "But"} & found


def test_mention_offsets_slice_back_to_their_text():
    doc = document(ARTICLES["russian_names"])
    for mention in find_mentions(doc, Gazetteer.learn(["Эрдоган"])):
        assert doc.text[mention.start : mention.end] == mention.text


def test_roles_are_given_for_exactly_the_given_mentions(entities):
    doc = document(ARTICLES["west_aggressor"])
    spans = [Span(start=doc.text.index(name), end=doc.text.index(name) + len(name)) for name in ("NATO", "Russia", "Kyiv")]
    roles = entities.predict_roles(Analysis(document=doc), spans)
    assert [(m.start, m.end) for m in roles] == [(s.start, s.end) for s in spans]
    for mention in roles:
        assert mention.main_role in MAIN_ROLES
        assert abs(sum(mention.main_role_scores.values()) - 1) < 1e-3
        assert mention.fine_roles and {r.label for r in mention.fine_roles} <= set(FINE_ROLES[mention.main_role])


def test_entities_found_in_raw_text_slice_back(entities):
    analysis = entities(Analysis(document=document(ARTICLES["russian_names"])))
    result = analysis.results.entities
    assert result.entities
    for entity in result.entities:
        for mention in entity.mentions:
            assert analysis.document.text[mention.start : mention.end] == mention.text


def test_pronouns_are_never_entities_but_capitalised_acronyms_are(entities):
    doc = document(ARTICLES["pronouns_possessives"])
    found = {m.text for m in find_mentions(doc, Gazetteer.learn(["US", "Europe", "Ukraine"]))}
    assert "US" in found
    assert not {"us", "We", "ourselves"} & found
    result = entities(Analysis(document=doc)).results.entities
    assert not {e.name for e in result.entities} & {"us", "we", "We", "they", "They"}
    assert "US" in {e.name for e in result.entities}


def test_possessives_are_stripped_from_names_and_mentions(entities):
    doc = document(ARTICLES["pronouns_possessives"])
    found = find_mentions(doc, Gazetteer.learn([]))
    assert {"Europe", "Zelensky"} <= {m.text for m in found}
    assert not any(m.text.endswith(("'s", "’s")) for m in found)
    for mention in found:
        assert doc.text[mention.start : mention.end] == mention.text
    groups = [names(found, g) for g in group_mentions(found)]
    assert ["Zelensky", "Zelensky"] in groups
    result = entities(Analysis(document=doc)).results.entities
    assert not any(e.name.endswith("'s") for e in result.entities)


def test_reported_fine_roles_belong_to_the_entity_main_role():
    def mention(main_role: str, fine: str) -> EntityMention:
        scores = {role: 0.8 if role == main_role else 0.1 for role in MAIN_ROLES}
        return EntityMention(start=0, end=6, text="Russia", main_role=main_role, main_role_scores=scores,
                             fine_roles=[LabelScore(label=fine, score=0.9)])

    russia = Entity(name="Russia", mentions=[
        mention("Protagonist", "Guardian"), mention("Protagonist", "Peacemaker"), mention("Antagonist", "Instigator"),
    ])
    assert entity_role(russia) == "Protagonist"
    assert set(fine_roles(russia)) == {"Guardian", "Peacemaker"}
