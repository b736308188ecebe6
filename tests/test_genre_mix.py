"""A collection's known genre mix (`--genre-mix`): each article's genre decided at that mix, on
every path (one article, a batch, the CLI), and nothing changed when no mix is given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope import analyze
from narrascope.cli import main
from narrascope.components.genre import create, genre_at_mix, parse_genre_mix
from narrascope.core import analyze_many
from narrascope.errors import InputError
from narrascope.settings import Settings

REPORT = (
    "The city council approved the budget on Tuesday by nine votes to four.\n\n"
    "The plan adds two bus lines and repairs three bridges, the mayor's office said in a statement.\n\n"
    "Work on the first bridge starts in March and should end in October, officials said."
)


def test_a_mix_is_read_and_scaled_and_each_mistake_is_named():
    assert parse_genre_mix("reporting=7, opinion=2.5,satire=0.5") == {"opinion": 0.25, "reporting": 0.7, "satire": 0.05}
    for spec, says in [
        ("reporting=0.7,opinion=0.3", "missing satire"),
        ("reporting=0.7,opinion=0.2,satire=0.05,news=0.05", "unknown genre 'news'"),
        ("reporting=lots,opinion=0.2,satire=0.1", "'lots' is not a number"),
        ("reporting=0.7,opinion=0.3,satire", "is not GENRE=SHARE"),
        ("reporting=0.5,reporting=0.2,opinion=0.2,satire=0.1", "is not GENRE=SHARE once per genre"),
        ("reporting=-1,opinion=0.2,satire=0.1", "at least 0"),
        ("reporting=0,opinion=0,satire=0", "not all 0"),
    ]:
        with pytest.raises(InputError, match=says):
            parse_genre_mix(spec)


def test_at_a_mix_the_same_probabilities_lean_towards_the_genres_the_collection_holds():
    plain = analyze(REPORT, components=["genre"])
    assert plain.results.genre.mix is None  # no mix given: the training articles' mix, untouched
    genre = create()
    training = dict(zip(genre.labels, genre.training_priors))
    same = genre.at_mix(plain.results.genre, training)
    assert same.probabilities == pytest.approx(plain.results.genre.probabilities, abs=1e-4)

    wire = genre.at_mix(plain.results.genre, {"reporting": 0.95, "opinion": 0.04, "satire": 0.01})
    op_ed = genre.at_mix(plain.results.genre, {"reporting": 0.01, "opinion": 0.98, "satire": 0.01})
    assert wire.probabilities["reporting"] > plain.results.genre.probabilities["reporting"] > op_ed.probabilities["reporting"]
    assert (wire.label, op_ed.label) == ("reporting", "opinion")
    assert sum(wire.probabilities.values()) == pytest.approx(1.0)
    assert wire.mix == {"reporting": 0.95, "opinion": 0.04, "satire": 0.01}


def test_one_article_a_batch_and_the_cli_decide_at_the_given_mix(tmp_path: Path, capsys):
    mix = {"reporting": 0.95, "opinion": 0.04, "satire": 0.01}
    expected = genre_at_mix(mix)(analyze(REPORT, components=["genre"])).results.genre
    assert analyze(REPORT, components=["genre"], genre_mix=mix).results.genre == expected

    article = tmp_path / "report.txt"
    article.write_text(REPORT, encoding="utf-8")
    (batched,) = analyze_many([str(article)], components=["genre"], genre_mix=mix, settings=Settings.from_env())
    assert batched.results.genre.mix == mix
    assert batched.results.genre.probabilities == pytest.approx(expected.probabilities, abs=1e-4)

    code = main(["analyze", str(article), "--components", "genre", "--no-store", "--json", "-",
                 "--genre-mix", "reporting=95,opinion=4,satire=1"])
    out, _ = capsys.readouterr()
    assert code == 0 and json.loads(out)["results"]["genre"]["mix"] == mix


def test_a_bad_mix_stops_the_run_before_any_work(tmp_path: Path, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["analyze", REPORT, "--no-store", "--genre-mix", "reporting=0.9,opinion=0.1"])
    assert stopped.value.code == 2 and "missing satire" in capsys.readouterr().err
    with pytest.raises(InputError, match="unknown genre"):
        list(analyze_many([str(tmp_path)], genre_mix={"news": 1.0}))
