"""Taxonomy files (your own narratives): the documented format, every error with its line and
field, the `taxonomy check` command, and adding a label to a file without losing its comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.cli import main
from narrascope.user_taxonomy import FORMAT, ExampleRef, TaxonomyError, UserLabel, load, parse
from narrascope.user_taxonomy_edit import add_label, bump_version

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "war-narratives.yaml"

VALID = f"""\
format: {FORMAT}
name: energy
version: "2.1"
labels:
  - id: costly
    name: Green energy is too costly
    description: Renewables and heat pumps ruin households.
  - id: heat-pumps
    name: Heat pumps will bankrupt you
    parent: costly
    description: A heat pump costs more than a family earns.
    examples:
      - A heat pump costs more than most families earn in a year.
      - text: Die Wärmepumpe ruiniert uns.
    negatives:
      - Heat pumps cut bills by a third, the agency found.
"""


def test_the_sample_file_is_valid_and_complete() -> None:
    taxonomy = load(SAMPLE)
    assert (taxonomy.name, taxonomy.version) == ("war-narratives", "1.0")
    ids = [label.id for label in taxonomy.labels]
    assert ids == ["aid-is-wasted", "army-collapsing", "leaders-illegitimate", "mobilisation-by-force"]
    assert taxonomy.ancestors("mobilisation-by-force") == ["army-collapsing"]
    army = taxonomy.label("army-collapsing")
    assert any(e.file == "opinion-column.txt" for e in army.examples) and army.negatives
    assert len(taxonomy.fingerprint) == 12


def test_a_valid_file_reads_labels_parents_examples_and_negatives() -> None:
    taxonomy = parse(VALID, "energy.yaml")
    heat = taxonomy.label("heat-pumps")
    assert heat.parent == "costly"
    assert [e.text for e in heat.examples] == [
        "A heat pump costs more than most families earn in a year.",
        "Die Wärmepumpe ruiniert uns.",
    ]
    assert heat.examples[0].line == 13
    assert [e.text for e in heat.negatives] == ["Heat pumps cut bills by a third, the agency found."]
    assert parse(VALID).fingerprint == taxonomy.fingerprint
    assert parse(VALID.replace("ruiniert", "zerstört")).fingerprint != taxonomy.fingerprint  # examples count


def test_file_wide_negatives_and_folders_are_read_and_older_files_hash_as_before(tmp_path: Path) -> None:
    (tmp_path / "neutral").mkdir()
    text = VALID + "negatives:\n  - The agency published its heating figures.\n  - {folder: neutral}\n"
    taxonomy = parse(text, tmp_path / "energy.yaml")
    assert [(e.text, e.folder, e.line) for e in taxonomy.negatives] == [
        ("The agency published its heating figures.", None, 18), (None, "neutral", 19)]
    assert taxonomy.fingerprint != parse(VALID).fingerprint
    assert parse(VALID).fingerprint == "c7dd09ea0d52"  # the hash before file-wide negatives and folders existed
    assert load(SAMPLE).label("army-collapsing").examples[-1].file == "opinion-column.txt"


def test_an_integer_version_is_read_as_text() -> None:
    assert parse(VALID.replace('version: "2.1"', "version: 3")).version == "3"


LABEL = "  - id: a\n    name: A\n    description: An a.\n"
HEAD = f"format: {FORMAT}\nname: t\nversion: '1'\nlabels:\n"


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("format: [unclosed\n", 2, "", "not valid YAML"),
        ("", 1, "", "empty file"),
        ("- just\n- a list\n", 1, "", "expected a mapping"),
        (f"name: t\nversion: '1'\nlabels:\n{LABEL}", 1, "format", "required"),
        (HEAD.replace(FORMAT, "narrascope-taxonomy/9") + LABEL, 1, "format", "unknown format"),
        (HEAD.replace("name: t\n", "") + LABEL, 1, "name", "required"),
        (HEAD.replace("name: t", "name: " + "n" * 51) + LABEL, 2, "name", "longer than 50"),
        (HEAD.replace("version: '1'", "version: 1.10") + LABEL, 3, "version", 'version: "1.10"'),
        (HEAD.replace("version: '1'\n", "") + LABEL, 1, "version", "required"),
        (HEAD.replace("labels:\n", "") + "colour: red\n", 4, "colour", "unknown field"),
        (HEAD, 4, "labels", "at least one label"),
        (HEAD + "  - just a string\n", 5, "labels[0]", "expected a mapping"),
        (HEAD + "  - id: a\n    name: A\n", 5, "labels[0].description", "required"),
        (HEAD + "  - name: A\n    description: d\n", 5, "labels[0].id", "required"),
        (HEAD + "  - id: a\n    description: d\n", 5, "labels[0].name", "required"),
        (HEAD + "  - id: -bad id\n    name: A\n    description: d\n", 5, "labels[0].id", "use letters"),
        (HEAD + "  - id: a\n    name: A\n    description: '   '\n", 7, "labels[0].description", "empty"),
        (HEAD + LABEL + LABEL.replace("name: A", "name: B"), 8, "labels[1].id", "duplicate id 'a'"),
        (HEAD + LABEL + LABEL.replace("id: a", "id: b").replace("name: A", "name: a"), 8, "labels[1].name", "duplicate name"),
        (HEAD + LABEL + "    parent: nowhere\n", 8, "labels[0].parent", "no label has id 'nowhere'"),
        (HEAD + LABEL + "    parent: b\n" + LABEL.replace("id: a", "id: b").replace("A", "B") + "    parent: a\n",
         8, "labels[0].parent", "cycle"),
        (HEAD + LABEL + "    examples: one sentence\n", 8, "labels[0].examples", "expected a list"),
        (HEAD + LABEL + "    examples:\n      - {text: x, file: y.txt}\n", 9, "labels[0].examples[0]", "exactly one"),
        (HEAD + LABEL + "    examples:\n      - {file: missing.txt}\n", 9, "labels[0].examples[0].file", "no such file"),
        (HEAD + LABEL + "    negatives:\n      - {document: not-an-id}\n", 9, "labels[0].negatives[0].document", "16 hex"),
        (HEAD + LABEL + "    examples:\n      - [a, nested, list]\n", 9, "labels[0].examples[0]", "expected a mapping"),
        (HEAD + LABEL + "    examples:\n      - " + "x" * 2001 + "\n", 9, "labels[0].examples[0]", "longer than 2000"),
        (HEAD + LABEL + "    name: again\n", 8, "labels[0].name", "given twice (first at line 6)"),
        (HEAD + LABEL + "negatives: one sentence\n", 8, "negatives", "expected a list"),
        (HEAD + LABEL + "negatives:\n  - {folder: missing}\n", 9, "negatives[0].folder", "no such folder"),
        (HEAD + LABEL + "negatives:\n  - {text: x, folder: y}\n", 9, "negatives[0]", "exactly one of text, file, folder"),
        (HEAD + LABEL + "    examples:\n      - {folder: missing}\n", 9, "labels[0].examples[0].folder", "no such folder"),
    ],
)
def test_each_error_names_its_line_and_field(tmp_path: Path, text: str, line: int, field: str, message: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError) as raised:
        load(path)
    problems = [(p.line, p.field) for p in raised.value.problems]
    assert (line, field) in problems, raised.value.problems
    matching = [p for p in raised.value.problems if (p.line, p.field) == (line, field)]
    assert any(message in p.message for p in matching), matching
    assert f"{path}:{line}: " in str(raised.value)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = HEAD.replace("version: '1'", "version: 1.0") + "  - id: a\n    name: A\n  - id: a b\n    name: B\n    description: d\n"
    with pytest.raises(TaxonomyError) as raised:
        parse(text, tmp_path / "t.yaml")
    assert [p.line for p in raised.value.problems] == [3, 5, 7]


def test_a_file_that_is_not_utf8_or_too_big_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes((HEAD + LABEL).encode() + "    # caf\xe9\n".encode("latin-1"))
    with pytest.raises(TaxonomyError, match="not UTF-8"):
        load(path)
    big = tmp_path / "big.yaml"
    big.write_text(HEAD + LABEL + "# " + "x" * (3 * 1024 * 1024) + "\n")
    with pytest.raises(Exception, match="larger than 2 MB"):
        load(big)


def test_alias_bombs_are_refused(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(7)
    )
    text = HEAD + "  - id: a\n    name: A\n    description: d\n    examples: *h\n" + bomb
    with pytest.raises(TaxonomyError):
        parse(text.replace("labels:\n", "labels:\n", 1), tmp_path / "bomb.yaml")


def test_taxonomy_check_prints_each_problem_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(HEAD + "  - id: a\n    name: A\n", encoding="utf-8")
    assert main(["taxonomy", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:5: labels[0].description: required" in err
    assert "1 problem(s)" in err


def test_taxonomy_check_summarises_a_valid_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["taxonomy", "check", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "valid" in out and "war-narratives version 1.0" in out
    assert "4 labels (1 with a parent), 9 examples, 1 negatives, 2 file-wide negatives" in out
    assert "each against the file-wide negatives too" in out
    assert "by description only for aid-is-wasted" in out


def test_a_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["taxonomy", "check", str(tmp_path / "nope.yaml")]) == 2
    assert "cannot read the taxonomy file" in capsys.readouterr().err


def test_adding_a_label_keeps_comments_and_bumps_the_version(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("# my desk's labels\n" + VALID + "# trailing note\n", encoding="utf-8")
    label = UserLabel("grain", "The grain deal is a Western trick", "The grain corridor serves the West.",
                      examples=(ExampleRef(text="Only a fraction of the grain reached poor countries."),))
    updated = add_label(path, label)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# my desk's labels\n") and "# trailing note" in text
    assert updated.version == "2.2" and load(path).version == "2.2"
    assert [l.id for l in updated.labels] == ["costly", "heat-pumps", "grain"]
    assert updated.label("grain").examples[0].text == "Only a fraction of the grain reached poor countries."
    with pytest.raises(Exception, match="already exists"):
        add_label(path, label)


def test_adding_a_label_keeps_file_wide_negatives_written_after_the_labels(tmp_path: Path) -> None:
    path = tmp_path / "energy.yaml"
    path.write_text(VALID + "negatives:\n  - The agency published its heating figures.\n", encoding="utf-8")
    updated = add_label(path, UserLabel("bills", "Bills will soar", "Energy bills will double."))
    assert [label.id for label in updated.labels][-1] == "bills"
    assert [e.text for e in updated.negatives] == ["The agency published its heating figures."]


def test_adding_a_label_to_a_new_file_creates_it(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    created = add_label(path, UserLabel("x", "X <script>", "An x."))
    assert created.labels[0].name == "X <script>" and load(path).name == "new"


@pytest.mark.parametrize(("before", "after"), [("1.2", "1.3"), ("7", "8"), ("2024-05", "2024-06"), ("beta", "beta.1")])
def test_versions_are_bumped_on_their_last_number(before: str, after: str) -> None:
    assert bump_version(before) == after
