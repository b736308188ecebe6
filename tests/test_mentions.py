"""Entity types, demonym adjectives and mention grouping, on paragraphs written for these tests."""

from __future__ import annotations

import json

import pytest

from narrascope.components import create
from narrascope.core import read_document
from narrascope.ingest import RawDocument
from narrascope.mentions import Gazetteer, demonym, entity_type, find_mentions, group_mentions
from narrascope.model import Analysis

from conftest import FIXTURES

PARAGRAPHS = json.loads((FIXTURES / "mentions" / "paragraphs.json").read_text())


def document(name: str):
    return read_document(RawDocument(source=name, content=PARAGRAPHS[name], kind="text"))


def entities_in(name: str, gazetteer: Gazetteer | None = None) -> dict[frozenset[str], str | None]:
    """Each entity (the set of its mention texts) with its type."""
    doc = document(name)
    gazetteer = gazetteer or Gazetteer.learn([])
    found = find_mentions(doc, gazetteer)
    return {
        frozenset(found[i].text for i in group): entity_type(doc.text, [found[i] for i in group], gazetteer)
        for group in group_mentions(found)
    }


def type_of(entities: dict[frozenset[str], str | None], text: str) -> str | None:
    (kind,) = [kind for texts, kind in entities.items() if text in texts]
    return kind


def test_english_paragraph_types():
    entities = entities_in("english_types")
    assert type_of(entities, "Kowalski") == "person"
    assert type_of(entities, "Moscow") == "place"  # a capital is a city, even where it stands for its government
    assert type_of(entities, "Germany") == "country"
    assert type_of(entities, "NATO") == "organisation"
    assert type_of(entities, "Defence Ministry") == "organisation"
    assert type_of(entities, "Ukrainians") == "group"
    assert type_of(entities, "Dorwick") is None  # nothing says what it is: no guess


def test_russian_paragraph_types_across_inflections():
    entities = entities_in("russian_types", Gazetteer.learn(["украинцы"]))
    assert type_of(entities, "Франции") == "country"
    assert type_of(entities, "Эммануэль Макрон") == "person"
    assert type_of(entities, "Макрон") == "person"
    assert type_of(entities, "НАТО") == type_of(entities, "ВСУ") == "organisation"
    assert type_of(entities, "Москве") == "place"
    assert type_of(entities, "украинцы") == "group"


def test_demonym_adjectives_are_not_entities_but_their_groups_are():
    found = {m.text for m in find_mentions(document("demonyms"), Gazetteer.learn([]))}
    assert not {"Ukrainian", "Western", "American"} & found
    assert {"Russian forces", "Ukrainians"} <= found


@pytest.mark.parametrize(("word", "number"), [
    ("Ukrainian", "singular"), ("Western", "singular"), ("French", "singular"), ("Americans", "plural"),
    ("Russia", None), ("Pakistan", None), ("Christian", None), ("Putin", None),
])
def test_demonyms_are_told_from_places_and_names(word, number):
    assert demonym(word) == number


def test_possessives_and_country_names_are_grouped():
    entities = entities_in("possessives")
    assert {"Volodymyr Zelensky", "Zelensky"} in [set(texts) for texts in entities]
    assert type_of(entities, "Zelensky") == "person"
    assert {"US", "United States"} <= next(texts for texts in entities if "US" in texts)


def test_russian_inflections_and_country_names_are_grouped():
    entities = entities_in("russian_inflections")
    zelensky = next(texts for texts in entities if "Зеленского" in texts)
    assert {"Владимир Зеленский", "Зеленского", "Зеленскому"} == zelensky
    assert entities[zelensky] == "person"
    assert {"США", "Америка"} <= next(texts for texts in entities if "США" in texts)


def test_caseless_hindi_names_and_demonym_phrases():
    gazetteer = Gazetteer.learn(["रूसी", "व्लादिमीर पुतिन", "पुतिन"])
    found = {m.text for m in find_mentions(document("hindi"), gazetteer)}
    assert {"रूसी सेना", "भारत", "व्लादिमीर ज़ेलेंस्की", "रूसी लोग"} <= found  # भारत: CLDR, not the gazetteer
    assert "रूसी" not in found
    entities = entities_in("hindi", gazetteer)
    assert type_of(entities, "रूसी सेना") == "organisation"
    assert type_of(entities, "भारत") == "country"
    assert type_of(entities, "रूसी लोग") == "group"
    assert type_of(entities, "व्लादिमीर ज़ेलेंस्की") == "person"


def test_months_are_not_names():
    found = [m.text for m in find_mentions(document("calendar"), Gazetteer.learn([]))]
    assert "Geneva" in found
    assert not {"May", "April"} & set(found)


def test_component_reports_a_type_for_entities_it_can_tell():
    entities = create("entities")
    result = entities(Analysis(document=document("english_types"))).results.entities
    types = {entity.name: entity.type for entity in result.entities}
    assert [kind for name, kind in types.items() if "Kowalski" in name] == ["person"]
    assert not {"Ukrainian", "Western", "American"} & set(types)
    assert all(kind in (None, "person", "organisation", "country", "place", "group") for kind in types.values())
