"""Storylines over a store: recurring assertions found across outlets and languages, counted over
time, the same for the same store and seed (exact and approximate grouping), an empty store,
documents stored without vectors, custom labels stored and queried, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa

from fixtures.store.databases import fresh_postgres_url, sqlite_url, store_url  # noqa: F401
from fixtures.store.storylines import HEAT_PUMPS, SANCTIONS, storyline_analyses, with_custom_label
from narrascope.cli import main
from narrascope.labelsets import UnknownLabel
from narrascope.store import Filters, open_store
from narrascope.store.export import write_csv
from narrascope.store.tables import UnitVectorTable
from narrascope.storylines import discover
from narrascope.storylines.grouping import with_document_context


def filled(url: str) -> str:
    with open_store(url) as store:
        for analysis in storyline_analyses():
            store.save(analysis)
    return url


def test_recurring_assertions_become_storylines_with_outlets_languages_and_growth(store_url: str) -> None:
    with open_store(filled(store_url)) as store:
        found = discover(store, interval="month", threshold=0.3)  # a loose cut: five documents are all there is
    assert found.documents == len(storyline_analyses()) and found.method == "exact"
    sanctions = next(s for s in found.storylines if "sanction" in s.name.lower() or "санкции" in s.name.lower())
    members = {s.text for s in sanctions.sentences}
    assert members == {row[0] for row in SANCTIONS}
    assert sanctions.languages == {"en": 4, "ru": 1}  # across languages
    assert not members & {row[0] for row in HEAT_PUMPS}
    assert sanctions.documents == len(members) and set(sanctions.sites) <= {"north.test", "south.test", "east.test", "west.test"}
    assert sum(sanctions.languages.values()) == sanctions.documents
    assert any("sanction" in term for term in sanctions.key_terms)
    assert str(sanctions.first_seen) == "2024-01-03"
    assert [p.start.isoformat() for p in sanctions.periods][0] == "2024-01-01"
    assert sum(p.documents for p in sanctions.periods) == sanctions.documents
    assert [p.growth for p in sanctions.periods] == [
        p.documents - (sanctions.periods[i - 1].documents if i else 0) for i, p in enumerate(sanctions.periods)
    ]
    assert sanctions.central[0] == sanctions.name and len(set(sanctions.central)) == len(sanctions.central)
    heat = [{x.text for x in s.sentences} for s in found.storylines if s is not sanctions]
    assert len(heat) == 1 and len(heat[0]) >= 3 and heat[0] <= {row[0] for row in HEAT_PUMPS}


def test_the_same_store_and_seed_give_the_same_storylines(sqlite_url: str, tmp_path: Path) -> None:
    with open_store(filled(sqlite_url)) as store:
        first, second = asdict(discover(store, seed=3, threshold=0.3)), asdict(discover(store, seed=3, threshold=0.3))
        approximate = [asdict(discover(store, seed=3, threshold=0.3, exact_limit=8)) for _ in range(2)]
    with open_store(filled(f"sqlite:///{tmp_path / 'again.db'}")) as store:
        elsewhere = asdict(discover(store, seed=3, threshold=0.3))
    first.pop("embedded"), second.pop("embedded"), elsewhere.pop("embedded")
    assert first == second == elsewhere
    assert approximate[0]["method"] == "approximate"
    approximate[0].pop("embedded"), approximate[1].pop("embedded")
    assert approximate[0] == approximate[1]
    assert approximate[0]["storylines"], "the approximate grouping still finds the repeated assertions"


def test_an_empty_store_has_no_storylines(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with open_store(sqlite_url) as store:
        found = discover(store)
    assert (found.storylines, found.documents, found.sentences) == ([], 0, 0)
    assert main(["storylines", "--store", sqlite_url]) == 0
    assert "0 storylines in 0 documents" in capsys.readouterr().err
    assert main(["storylines", "--store", sqlite_url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["storylines"] == []


def unit_rows(store) -> int:  # type: ignore[no-untyped-def]
    with store.engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(UnitVectorTable)).scalar()


def test_vectors_are_kept_at_save_when_the_encoder_has_them_and_filled_in_once_otherwise(sqlite_url: str) -> None:
    from narrascope.encoder import get_encoder

    analyses = storyline_analyses()
    get_encoder().encode([a.document.text[: a.results.claims.claims[0].end] for a in analyses])  # as analysing does
    with open_store(sqlite_url) as store:
        for analysis in analyses:
            store.save(analysis)
        assert unit_rows(store) == len(analyses)  # kept at save: no second encoder pass
        with store.engine.begin() as connection:
            connection.execute(sa.delete(UnitVectorTable))  # as a store from before storylines
        first = discover(store)
        second = discover(store)
        assert unit_rows(store) == len(analyses)
    assert first.embedded == len(analyses) and second.embedded == 0
    assert first.storylines == second.storylines


def test_filters_and_the_cli_table(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    filled(sqlite_url)
    assert main(["storylines", "--store", sqlite_url, "--until", "2024-01-31", "--min-documents", "2"]) == 0
    captured = capsys.readouterr()
    assert "in 5 documents" in captured.err  # four sanctions claims and the library, in January
    assert "storylines, most documents first" in captured.out
    assert main(["storylines", "--store", sqlite_url, "--until", "2024-01-31", "--min-documents", "2", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["documents"] == 5 and found["method"] == "exact" and found["seed"] == 0
    assert all(s["last_seen"] <= "2024-01-31" for s in found["storylines"])
    assert main(["storylines", "--store", sqlite_url, "--language", "de"]) == 0
    assert "0 storylines in 1 documents" in capsys.readouterr().err
    assert main(["storylines", "--store", sqlite_url, "--min-documents", "1"]) == 2
    assert "at least 2 documents" in capsys.readouterr().err


def test_custom_labels_are_stored_queried_trended_and_exported(store_url: str, tmp_path: Path) -> None:
    analyses = storyline_analyses()
    with open_store(store_url) as store:
        for index, analysis in enumerate(analyses):
            if index < len(SANCTIONS):
                analysis = with_custom_label(analysis, "Sanctions backfire", score=0.6 + index / 20)
            store.save(analysis)
        found = store.query(Filters(label="Sanctions backfire"))
        strong = store.count(Filters(label="Sanctions backfire", min_score=0.75))
        rows = store.trends("custom", "month").rows
        with pytest.raises(UnknownLabel):  # only labels found are stored: this one never was
            store.count(Filters(label="Something else"))
        written = write_csv(store.iter_analyses(Filters(label="Sanctions backfire")), tmp_path / "out.csv")
    assert len(found) == len(SANCTIONS) and all("Sanctions backfire" in row.top_labels for row in found)
    assert strong == 2
    assert {(r.period, r.label, r.count) for r in rows} == {("2024-01-01", "Sanctions backfire", 4),
                                                            ("2024-02-01", "Sanctions backfire", 1)}
    csv = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert written == len(SANCTIONS) and "custom,Sanctions backfire," in csv and ",custom:desk,1.0" in csv


def test_trends_cli_by_custom_label(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with open_store(sqlite_url) as store:
        store.save(with_custom_label(storyline_analyses()[0], "Sanctions backfire"))
    assert main(["trends", "--store", sqlite_url, "--by", "custom", "--json"]) == 0
    assert [row["label"] for row in json.loads(capsys.readouterr().out)["rows"]] == ["Sanctions backfire"]



def test_a_sentence_is_read_with_its_article() -> None:
    """Document context: sentences of one article move towards each other (a vague sentence takes
    its article's subject); a document's only sentence keeps its direction; no context, no change."""
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(5, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    documents = np.array([0, 0, 0, 1, 2])
    before = vectors @ vectors.T
    read = with_document_context(vectors.copy(), documents, 0.5)
    after = read @ read.T
    assert np.allclose(np.linalg.norm(read, axis=1), 1.0, atol=1e-5)
    assert all(after[i, j] > before[i, j] for i, j in [(0, 1), (0, 2), (1, 2)])
    assert np.allclose(read[3], vectors[3], atol=1e-6) and np.allclose(read[4], vectors[4], atol=1e-6)
    assert np.array_equal(with_document_context(vectors.copy(), documents, 0.0), vectors)
