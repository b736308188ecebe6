"""Label names: one resolver from what a user types to stored labels, used by every surface that
filters (CLI query/export/trends, the web API and pages), on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from fixtures.store.databases import fresh_postgres_url, sqlite_url, store_url  # noqa: F401
from fixtures.store.samples import article, make_analysis

from narrascope.cli import main
from narrascope.labelsets import LabelSet, UnknownLabel, display_name, register, resolve_label
from narrascope.settings import Settings
from narrascope.store import Filters, open_store
from narrascope.web import WebConfig, create_app

DISCREDIT = "URW: Discrediting Ukraine"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Loaded Language", ("Loaded_Language",)),  # as shown
        ("loaded_language", ("Loaded_Language",)),  # the dataset id, any case
        ("LOADED LANGUAGE", ("Loaded_Language",)),
        ("Manipulative wording: Loaded Language", ("Loaded_Language",)),  # with its family
        ("False Dilemma/No Choice", ("False_Dilemma-No_Choice",)),
        ("false dilemma no choice", ("False_Dilemma-No_Choice",)),
        ("Security and defense", ("Security_and_defense",)),
        ("URW: Discrediting Ukraine", (DISCREDIT,)),
        ("Discrediting Ukraine", (DISCREDIT,)),  # without its family prefix
        ("discrediting ukraine: ukraine is a puppet of the west", (f"{DISCREDIT}: Ukraine is a puppet of the West",)),
        ("Rewriting Ukraine's history", (f"{DISCREDIT}: Rewriting Ukraine’s history",)),  # as the web lists it
        ("Name Call", ("Name_Calling-Labeling",)),  # an unambiguous prefix
        ("antagonist", ("Antagonist",)),
        ("Other", ("Other",)),  # the catch-all narrative, not every narrative's "Other"
        (
            "Hidden plots by secret schemes of powerful groups",  # one name, two families: both
            (
                "CC: Hidden plots by secret schemes of powerful groups",
                "URW: Hidden plots by secret schemes of powerful groups",
            ),
        ),
    ],
)
def test_a_label_is_found_however_a_user_writes_it(typed: str, expected: tuple[str, ...]) -> None:
    assert resolve_label(typed) == expected


def test_an_unknown_label_names_the_closest_and_an_ambiguous_one_its_candidates() -> None:
    with pytest.raises(UnknownLabel, match=r"unknown label 'Lodaed Langauge'; closest: 'Loaded Language'"):
        resolve_label("Lodaed Langauge")
    with pytest.raises(UnknownLabel, match=r"label 'Appeal' fits 6 labels: 'Appeal to Authority', .*give more"):
        resolve_label("Appeal")
    with pytest.raises(UnknownLabel, match="empty"):
        resolve_label("  ")


def test_more_label_sets_can_be_registered() -> None:
    register(LabelSet("custom-test", ("custom",), {"energy_blackmail": "Energy blackmail"}))
    assert resolve_label("energy blackmail") == ("energy_blackmail",)
    assert display_name("energy_blackmail") == "Energy blackmail"


@pytest.fixture
def url(store_url: str) -> str:
    with open_store(store_url) as store:
        store.save(make_analysis(article(1), published="2024-03-01", site="a.example"))
        store.save(make_analysis(article(2), published="2024-03-02", site="b.example", technique="Doubt"))
        store.save(
            make_analysis(article(3), published="2024-04-01", narrative=None, frame="Economic", technique="Doubt")
        )
    return store_url


def query(capsys, url: str, *argv: str) -> tuple[int, list[dict], str]:
    code = main(["query", "--store", url, "--json", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out) if code == 0 else [], err


def test_query_takes_the_label_as_shown_as_its_id_or_a_prefix(url: str, capsys) -> None:
    by_id = query(capsys, url, "--label", "Loaded_Language")[1]
    assert len(by_id) == 1
    assert query(capsys, url, "--label", "Loaded Language")[1] == by_id
    assert query(capsys, url, "--label", "loaded lang")[1] == by_id
    assert len(query(capsys, url, "--label", "Security and defense")[1]) == 2
    assert len(query(capsys, url, "--label", "discrediting ukraine")[1]) == 2


def test_an_unknown_label_is_an_error_not_zero_rows(url: str, capsys) -> None:
    code, _, err = query(capsys, url, "--label", "Loaded Langauge X")
    assert code == 2
    assert err.startswith("narrascope: error: unknown label 'Loaded Langauge X'; closest: 'Loaded Language'")


def test_trends_and_exports_take_label_names_too(url: str, capsys, tmp_path) -> None:
    assert main(["trends", "--store", url, "--by", "frame", "--label", "Doubt", "--json"]) == 0
    frames = {row["name"] for row in json.loads(capsys.readouterr().out)["rows"]}
    assert frames == {"Security and defense", "Economic"}
    out = tmp_path / "doubt.csv"
    assert main(["export", "--store", url, "--format", "csv", "-o", str(out), "--label", "doubt"]) == 0
    assert "exported 2 input(s)" in capsys.readouterr().err
    assert main(["export", "--store", url, "--format", "csv", "-o", str(out), "--label", "doubts galore"]) == 2
    assert "unknown label 'doubts galore'" in capsys.readouterr().err


def test_a_stored_label_no_set_knows_is_still_found_exactly(url: str) -> None:
    analysis = make_analysis(article(4), technique="Brand_New_Technique")
    with open_store(url) as store:
        store.save(analysis)
        assert [row.id for row in store.query(Filters(label="Brand_New_Technique"))] == [analysis.document.id]
        with pytest.raises(UnknownLabel):
            store.query(Filters(label="brand new technique"))  # no set gives it a name to match


def test_the_query_table_shows_label_names(url: str, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["query", "--store", url, "--label", "Loaded Language"]) == 0
    out = capsys.readouterr().out
    assert "Loaded Language," in out and "Loaded_Language" not in out


def test_the_labels_command_lists_and_looks_up(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["labels", "--set", "technique", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"set": "technique", "id": "Loaded_Language", "name": "Loaded Language"} in rows and len(rows) == 23
    assert main(["labels", "appeal"]) == 0
    out = capsys.readouterr().out
    assert "6 label(s) starting with 'appeal'" in out and "Appeal to Time" in out
    assert main(["labels", "zzzz"]) == 2


@pytest.fixture
def client(url: str):
    app = create_app(WebConfig(store_url=url, components=(), settings=Settings()))
    with TestClient(app, base_url="http://127.0.0.1") as running:
        yield running


def test_the_api_takes_label_names_and_answers_422_with_the_closest(client: TestClient) -> None:
    listed = client.get("/api/documents", params={"label": "loaded language"}).json()
    assert listed["total"] == 1
    assert client.get("/api/documents", params={"label": "Manipulative wording: Loaded Language"}).json() == listed
    refused = client.get("/api/documents", params={"label": "Lodaed Langauge"})
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("unknown label 'Lodaed Langauge'; closest: 'Loaded Language'")
    trends = client.get("/api/trends", params={"by": "technique", "label": "Security and defense"}).json()
    assert {row["name"] for row in trends["rows"]} == {"Loaded Language", "Doubt"}
    assert client.get("/api/trends", params={"label": "appeal"}).status_code == 422
    assert client.get("/library/export.csv", params={"label": "appeal"}).status_code == 422


def test_the_library_page_names_the_closest_labels_and_keeps_the_form(client: TestClient) -> None:
    page = client.get("/library", params={"label": "Lodaed Langauge", "site": "a.example"})
    assert page.status_code == 422
    assert "unknown label &#39;Lodaed Langauge&#39;; closest: &#39;Loaded Language&#39;" in page.text
    assert 'value="a.example"' in page.text  # the form keeps what was typed
    assert '<option value="Loaded Language">' in page.text  # the label box suggests names as shown
    assert "Loaded Language" in client.get("/library", params={"label": "Loaded Language"}).text
