"""Your own labels on articles (the `custom` result): scored from descriptions or examples, with
evidence, the same every time, in languages the examples are not in, through the CLI, the
Python API and training on labelled documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import narrascope
from narrascope.cli import main
from narrascope.components.custom import create_custom
from narrascope.user_taxonomy import load

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_TAXONOMY = ROOT / "samples" / "war-narratives.yaml"
SAMPLE_ARTICLE = ROOT / "samples" / "opinion-column.txt"

ENERGY = """\
format: narrascope-taxonomy/1
name: energy
version: "3"
labels:
  - id: costly
    name: Green energy is too costly
    description: Renewable energy, heat pumps and climate rules are unaffordable and ruin households.
    examples:
      - Heat pumps cost more than most families earn in a year.
      - The green transition will bankrupt ordinary households.
      - Wind and solar subsidies are driving electricity bills through the roof.
  - id: heat-pumps
    name: Heat pumps will bankrupt you
    parent: costly
    description: Heat pumps are a ruinous expense forced on homeowners.
    examples:
      - Installing a heat pump will cost you your savings.
      - Homeowners are forced to rip out boilers for pumps they cannot pay for.
  - id: football
    name: The national team is in crisis
    description: The national football team keeps losing and its coach must go.
    examples:
      - The national team lost again and the coach has to resign.
      - Fans booed the players after another humiliating defeat.
"""

ENERGY_ARTICLE = (
    "The heat pump scam\n\n"
    "Families across the country are being told to rip out their gas boilers. "
    "A heat pump costs more than most households can afford, and the grants cover almost nothing. "
    "Electricity bills have doubled since the green rules came in. "
    "Meanwhile the ministers who wrote these rules heat their villas with whatever they like."
)
# The same argument in Portuguese: no example is in Portuguese.
PORTUGUESE_ARTICLE = (
    "O golpe das bombas de calor\n\n"
    "As famílias estão a ser obrigadas a arrancar as caldeiras a gás. "
    "Uma bomba de calor custa mais do que a maioria das famílias pode pagar, e os subsídios não cobrem quase nada. "
    "As contas de eletricidade duplicaram desde que as novas regras verdes entraram em vigor."
)


@pytest.fixture(scope="module")
def energy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("taxonomy") / "energy.yaml"
    path.write_text(ENERGY, encoding="utf-8")
    return path


def custom_of(analysis: narrascope.Analysis) -> dict:
    assert len(analysis.results.custom) == 1
    return {label.id: label for label in analysis.results.custom[0].labels}


def test_every_label_gets_a_calibrated_score_with_evidence_and_the_taxonomy_named(energy: Path) -> None:
    analysis = narrascope.analyze(ENERGY_ARTICLE, components=(), taxonomies=[energy])
    result = analysis.results.custom[0]
    assert (result.taxonomy.name, result.taxonomy.version) == ("energy", "3")
    assert result.taxonomy.fingerprint == load(energy).fingerprint
    labels = custom_of(analysis)
    assert set(labels) == {"costly", "heat-pumps", "football"}
    assert labels["heat-pumps"].score > labels["football"].score
    assert labels["costly"].score >= labels["heat-pumps"].score  # a narrower label brings its broader one
    assert [label.id for label in result.labels] == sorted(labels, key=lambda i: -labels[i].score)
    assert all(label.method == "examples" for label in result.labels)
    sentences = {(s.start, s.end) for s in analysis.document.sentences}
    assert [label.id for label in result.labels if label.present] == ["costly", "heat-pumps"]  # not football
    for label in result.labels:
        assert label.present or label.score < 0.5
        assert label.evidence and all((span.start, span.end) in sentences for span in label.evidence)
    best = analysis.document.text[labels["heat-pumps"].evidence[0].start : labels["heat-pumps"].evidence[0].end]
    assert "heat pump" in best.lower() or "boilers" in best.lower()


def test_a_document_in_a_language_absent_from_the_examples_is_scored_across_languages(energy: Path) -> None:
    analysis = narrascope.analyze(PORTUGUESE_ARTICLE, components=(), taxonomies=[energy])
    labels = custom_of(analysis)
    assert analysis.document.language.code == "pt"
    assert labels["heat-pumps"].score > labels["football"].score
    assert labels["costly"].score > labels["football"].score
    evidence = labels["heat-pumps"].evidence[0]
    best = analysis.document.text[evidence.start : evidence.end]
    assert "bomba de calor" in best or "caldeiras" in best  # the heat pump, or the boilers torn out


def test_descriptions_alone_score_by_similarity(tmp_path: Path) -> None:
    path = tmp_path / "bare.yaml"
    path.write_text("\n".join(line for line in ENERGY.splitlines() if not line.startswith("      - ")
                              and "examples:" not in line), encoding="utf-8")
    analysis = narrascope.analyze(ENERGY_ARTICLE, components=(), taxonomies=[path])
    labels = custom_of(analysis)
    assert {label.method for label in labels.values()} == {"descriptions"}
    assert labels["heat-pumps"].score > labels["football"].score


def test_scores_are_the_same_every_time(energy: Path) -> None:
    first = narrascope.analyze(ENERGY_ARTICLE, components=(), taxonomies=[energy]).results.custom
    from narrascope.components import custom

    custom._BUILT.clear()  # the heads are fitted again from the file
    second = narrascope.analyze(ENERGY_ARTICLE, components=(), taxonomies=[energy]).results.custom
    assert first == second


def test_an_example_article_file_contributes_its_closest_sentences() -> None:
    taxonomy = load(SAMPLE_TAXONOMY)
    scorer = create_custom(taxonomy)
    from narrascope.components.custom_examples import resolve_examples

    examples = resolve_examples(taxonomy)
    from_file = [s for s in examples.positive["army-collapsing"] if s in SAMPLE_ARTICLE.read_text(encoding="utf-8")]
    assert len(from_file) == 3
    assert examples.negative["army-collapsing"] == ["Ukrainian forces retook two villages near Kharkiv, the general staff said."]
    assert scorer.heads is not None and scorer.heads.columns == (1, 2, 3)  # aid-is-wasted has none: by description


def test_a_file_wide_negative_article_gives_all_its_sentences_to_every_head() -> None:
    from narrascope.components.custom_examples import resolve_examples

    taxonomy = load(SAMPLE_TAXONOMY)
    report = (SAMPLE_TAXONOMY.parent / "neutral-report.txt").read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in report.split("\n\n") if p.strip()]
    assert resolve_examples(taxonomy).pushing_none == paragraphs + [
        "Kyiv and Moscow exchanged 90 prisoners of war on Friday, both sides said."]
    scorer = create_custom(taxonomy)
    assert scorer.example_method == "examples_with_none"
    assert scorer.heads.pushing_none.shape == (len(paragraphs) + 1, scorer.queries.shape[1])


def test_a_folder_of_articles_gives_each_articles_sentences_and_a_broken_one_is_named(tmp_path: Path) -> None:
    from narrascope.components.custom_examples import resolve_examples
    from narrascope.errors import InputError

    (tmp_path / "neutral").mkdir()
    for i, sentence in enumerate(NEUTRAL_ENERGY[:3]):
        (tmp_path / "neutral" / f"report-{i}.txt").write_text(f"Report {i}\n\n{sentence}", encoding="utf-8")
    (tmp_path / "neutral" / "photo.jpg").write_bytes(b"\xff\xd8 not an article")  # skipped, as analyze skips it
    path = tmp_path / "energy.yaml"
    path.write_text(ENERGY + "negatives:\n  - {folder: neutral}\n", encoding="utf-8")
    pushing_none = resolve_examples(load(path)).pushing_none
    assert sorted(pushing_none) == sorted([f"Report {i}" for i in range(3)] + NEUTRAL_ENERGY[:3])
    (tmp_path / "neutral" / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"energy.yaml:\d+: example .*empty.txt: .*empty"):
        resolve_examples(load(path))


NEUTRAL_ENERGY = [
    "The energy agency published its quarterly figures on household heating on Tuesday.",
    "Gas storage stood at 80 percent at the end of the month, the grid operator said.",
    "The ministry will present the heating report to parliament next week.",
    "Electricity prices on the spot market were little changed, traders said.",
    "The utility reported revenue of 2.1 billion euros for the third quarter.",
]
NEUTRAL_ENERGY_ARTICLE = (
    "Heating figures published\n\n"
    "The energy agency published new figures on household heating on Wednesday. "
    "Heat pumps made up 12 percent of new installations in the second quarter, the agency said. "
    "Gas boilers still heat most homes, according to the report, which covers 40,000 households."
)


def test_file_wide_negatives_lower_a_neutral_report_and_keep_the_narrative(energy: Path, tmp_path: Path) -> None:
    with_none = tmp_path / "energy-none.yaml"
    with_none.write_text(ENERGY + "negatives:\n" + "".join(f"  - {t}\n" for t in NEUTRAL_ENERGY), encoding="utf-8")
    assert load(with_none).fingerprint != load(energy).fingerprint
    before = custom_of(narrascope.analyze(NEUTRAL_ENERGY_ARTICLE, components=(), taxonomies=[energy]))
    after = custom_of(narrascope.analyze(NEUTRAL_ENERGY_ARTICLE, components=(), taxonomies=[with_none]))
    assert after["heat-pumps"].score < before["heat-pumps"].score
    assert after["costly"].score < before["costly"].score
    pushed = custom_of(narrascope.analyze(ENERGY_ARTICLE, components=(), taxonomies=[with_none]))
    assert pushed["heat-pumps"].present and pushed["costly"].present and not pushed["football"].present
    assert {label.method for label in pushed.values()} == {"examples"}


def test_analyze_cli_adds_the_custom_result_and_refuses_a_bad_taxonomy_before_any_work(
    energy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ENERGY_ARTICLE, encoding="utf-8")
    assert main(["analyze", str(article), "--components", "none", "--taxonomy", str(energy), "--json", "-"]) == 0
    result = json.loads(capsys.readouterr().out)["results"]["custom"][0]
    assert result["taxonomy"]["name"] == "energy" and len(result["labels"]) == 3
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: narrascope-taxonomy/1\nname: x\nversion: '1'\nlabels: []\n", encoding="utf-8")
    assert main(["analyze", str(article), "--taxonomy", str(bad), "--json", "-"]) == 2
    captured = capsys.readouterr()
    assert f"{bad}:4: labels: expected a list of at least one label" in captured.err and captured.out == ""


LABELLED_COSTLY = [
    "Heat pumps cost a fortune and the grants cover nothing.",
    "The new boiler ban will push pensioners into debt.",
    "Solar subsidies are paid by the poor through their power bills.",
    "Insulation rules add thousands to the price of every house.",
    "Electric cars are a luxury ordinary workers will never afford.",
    "Climate levies doubled the cost of heating this winter.",
    "The green tax on fuel hits rural families hardest.",
]
LABELLED_OTHER = [
    "The city council opened a new library in the old town.",
    "The national team won the friendly match two to nil.",
    "A new bakery opened on the high street on Saturday.",
    "The museum shows paintings from the nineteenth century.",
    "Local schools start the new term next Monday.",
    "The marathon drew thousands of runners to the coast.",
    "A jazz festival fills the park every summer.",
]


def test_train_custom_writes_a_model_beside_the_taxonomy_that_analyze_then_uses(
    energy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taxonomy = tmp_path / "energy.yaml"
    taxonomy.write_text(energy.read_text(encoding="utf-8"), encoding="utf-8")
    data = tmp_path / "labelled.jsonl"
    lines = [{"text": f"Report {i}\n\n{t} More on this story later.", "labels": ["costly"]} for i, t in enumerate(LABELLED_COSTLY)]
    lines += [{"text": f"Note {i}\n\n{t} More on this story later.", "labels": []} for i, t in enumerate(LABELLED_OTHER)]
    data.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    assert main(["train", "--task", "custom", "--taxonomy", str(taxonomy), "--data", str(data)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["labels"]) == {"costly"} and "heat-pumps" in report["skipped"]
    card = json.loads((tmp_path / "energy.yaml.model" / "card.json").read_text())
    assert card["taxonomy"]["fingerprint"] == load(taxonomy).fingerprint
    labels = custom_of(narrascope.analyze(ENERGY_ARTICLE, components=(), taxonomies=[taxonomy]))
    assert labels["costly"].method == "trained" and labels["heat-pumps"].method == "examples"
    assert labels["costly"].evidence
    assert main(["taxonomy", "check", str(taxonomy)]) == 0
    assert "trained on 14 documents" in capsys.readouterr().out
    # a changed file no longer matches the model: its labels go back to their examples
    taxonomy.write_text(energy.read_text(encoding="utf-8").replace('version: "3"', 'version: "4"').replace(
        "unaffordable", "far too expensive"), encoding="utf-8")
    labels = custom_of(narrascope.analyze(ENERGY_ARTICLE, components=(), taxonomies=[taxonomy]))
    assert labels["costly"].method == "examples"


def test_train_custom_names_the_line_of_an_unknown_label(energy: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "labelled.jsonl"
    data.write_text(json.dumps({"text": "One.", "labels": []}) + "\n" + json.dumps({"text": "Two.", "labels": ["nope"]}) + "\n")
    assert main(["train", "--task", "custom", "--taxonomy", str(energy), "--data", str(data)]) == 2
    assert "line 2: 'nope' is not a label" in capsys.readouterr().err
    assert main(["train", "--task", "custom", "--data", str(data)]) == 2
    assert "needs --taxonomy FILE" in capsys.readouterr().err
