"""Dataset readers on tiny synthetic releases (tests/fixtures/datasets) with the real files' quirks."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from narrascope.errors import DatasetError
from narrascope.evaluate.datasets import read_checkthat, read_dataset, read_semeval2023, read_semeval2025
from narrascope.evaluate.splits import is_validation

FIXTURES = Path(__file__).parent / "fixtures" / "datasets"
SEMEVAL2023 = FIXTURES / "semeval2023-task3"
SEMEVAL2025 = FIXTURES / "semeval2025-task10"
CHECKTHAT = FIXTURES / "checkthat2024-task1-en"


def by_id(examples):
    return {e.document_id: e for e in examples}


def test_semeval2023_labels_and_quirks():
    examples = by_id(read_semeval2023(SEMEVAL2023))
    assert sorted(examples) == ["101", "102", "103", "104"]  # es has no train split
    bom, crlf, drifted, unlabelled = examples["101"], examples["102"], examples["103"], examples["104"]
    # BOM dropped, spans shifted with it
    assert bom.document.text.startswith("Town council")
    assert [(t, bom.document.text[s:e]) for t, s, e in bom.spans] == [("Loaded_Language", "disgraceful cash grab")]
    # repeated labels collapse, order kept; empty label fields mean no label
    assert bom.frames == ["Economic", "Political"]
    assert bom.paragraph_techniques == {0: [], 1: [], 2: ["Loaded_Language", "Name_Calling-Labeling"]}
    assert crlf.frames == []
    # CRLF file: no CR left; the whitespace-only line is no paragraph; line numbers count all lines
    assert "\r" not in crlf.document.text
    assert crlf.line_of_paragraph == [1, 3, 5]
    assert crlf.document.paragraph_texts() == ["Harbour bridge opens after repairs", "The harbour bridge reopened on Monday.", "Engineers replaced two worn cables."]
    # trailing space in the genre label file is ignored
    assert drifted.genre == "satire"
    # span offsets that counted CRLF line ends are read back onto the right words
    assert [drifted.document.text[s:e] for _, s, e in drifted.spans] == [
        "every problem will vanish",
        "Only fools would doubt such a leader.",
    ]
    # an article only in the subtask-3 folder has no genre or frames, but its paragraphs
    assert unlabelled.genre is None and unlabelled.frames is None
    assert unlabelled.paragraph_techniques == {0: [], 1: []}
    assert unlabelled.document.title == "Weather notes"
    assert all(e.document.sentences for e in examples.values())


def test_semeval2023_parts_follow_the_validation_rule():
    examples = list(read_semeval2023(SEMEVAL2023))
    for e in examples:
        expected = "validation" if is_validation("semeval2023-task3", "en", e.document_id) else "fit"
        assert e.part == expected
    validation = {e.document_id for e in read_semeval2023(SEMEVAL2023, "validation")}
    fit = {e.document_id for e in read_semeval2023(SEMEVAL2023, "fit")}
    assert validation | fit == {e.document_id for e in examples} and not validation & fit


def test_semeval2023_test_layout_is_unlabelled():
    examples = by_id(read_semeval2023(SEMEVAL2023, "test"))
    assert sorted(examples) == ["201", "301"]
    assert examples["301"].language == "es" and examples["301"].document.language.code == "es"
    assert examples["201"].part == "test"
    assert examples["201"].genre is None and examples["201"].paragraph_techniques is None
    assert examples["201"].line_of_paragraph == [1, 3]
    only_es = list(read_semeval2023(SEMEVAL2023, "test", ["es"]))
    assert [e.document_id for e in only_es] == ["301"]


def test_semeval2025_mentions_narratives_explanations():
    examples = {(e.language, e.document_id): e for e in read_semeval2025(SEMEVAL2025)}
    uaw = examples[("EN", "EN_UA_fixture1.txt")]
    # narratives repeat in the row; the reader keeps each once
    assert uaw.narratives == ["URW: Discrediting the West, Diplomacy"]
    assert uaw.dominant_narrative == "URW: Discrediting the West, Diplomacy"
    # inclusive ends, read as they are and as counted on a CRLF copy, land on the mention
    for e in examples.values():
        for mention in e.mentions or []:
            assert e.document.text[mention.start : mention.end] == mention.text
    assert [(m.text, m.main_role, m.fine_roles) for m in uaw.mentions] == [
        ("Brussels", "Antagonist", ["Traitor", "Deceiver"]),
        ("Volunteers from Lisbon", "Protagonist", ["Guardian"]),
    ]
    assert examples[("EN", "EN_CC_fixture2.txt")].dominant_subnarrative is None  # 'none' in the file
    assert examples[("EN", "EN_CC_fixture3.txt")].explanation is None and examples[("EN", "EN_CC_fixture3.txt")].mentions == []
    # mentions-only folder (BOM document): mentions without roles, no narratives
    bulgarian = examples[("BG", "BG_1.txt")]
    assert [(m.text, m.main_role) for m in bulgarian.mentions] == [("София", None)]
    assert bulgarian.narratives is None
    # raw documents only: unlabelled
    portuguese = examples[("PT", "PT_1.txt")]
    assert portuguese.mentions is None and portuguese.narratives is None


def test_checkthat_quoting_glued_rows_and_unlabelled_test():
    train = by_id(read_checkthat(CHECKTHAT))
    assert sorted(train, key=int) == ["1", "2", "3", "4", "5", "6"]  # row 4 carried row 5 on its line
    assert train["3"].document.text == 'He said "trust me" and taxes rose.'
    assert train["4"].claim is False and train["5"].claim is True
    assert len(train["1"].document.sentences) == 1
    dev = list(read_checkthat(CHECKTHAT, "dev"))  # CRLF file
    assert [(e.document_id, e.claim, e.part) for e in dev] == [("7", True, "dev"), ("8", False, "dev")]
    test = list(read_checkthat(CHECKTHAT, "test"))
    assert [(e.document_id, e.claim) for e in test] == [("9", None)]


def test_read_dataset_picks_the_reader_and_checks_languages():
    assert {e.dataset for e in read_dataset("claims", CHECKTHAT)} == {"checkthat2024-task1-en"}
    assert {e.dataset for e in read_dataset("roles", SEMEVAL2025, "train", ["EN"])} == {"semeval2025-task10"}
    with pytest.raises(DatasetError, match="language xx"):
        read_dataset("genre", SEMEVAL2023, "train", ["xx"])
    with pytest.raises(DatasetError, match="no such dataset folder"):
        read_semeval2023(FIXTURES / "missing")
    with pytest.raises(DatasetError, match="unknown split"):
        read_semeval2025(SEMEVAL2025, "final")


@pytest.fixture
def copy_of(tmp_path):
    def copy(root: Path) -> Path:
        target = tmp_path / root.name
        shutil.copytree(root, target)
        return target

    return copy


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_semeval2023_article_outside_subtask_3_has_no_spans_to_score(copy_of):
    """Spans scoring counts every span found in an article with gold spans; an article the
    annotators never marked for subtask 3 must not be read as one with no techniques."""
    root = copy_of(SEMEVAL2023)
    (root / "en/train-articles-subtask-1/article105.txt").write_text("Markets rose.\n\nA disgraceful betrayal.\n", encoding="utf-8")
    examples = by_id(read_semeval2023(root))
    assert examples["105"].spans is None and examples["105"].paragraph_techniques is None
    assert examples["104"].spans == [] and examples["101"].spans


@pytest.mark.parametrize(
    ("file", "line", "message"),
    [
        ("en/train-labels-subtask-1.txt", "105\tpropaganda\n", "unknown genre"),
        ("en/train-labels-subtask-1.txt", "105 opinion\n", "expected 2 tab-separated fields"),
        ("en/train-labels-subtask-2.txt", "101\tEconomic\n", "labelled twice"),
        ("en/train-labels-subtask-3.txt", "101\t2\tDoubt\n", "line 2 of article101.txt is empty"),
        ("en/train-labels-subtask-2.txt", "999\tEconomic\n", "labels article 999, which has no article file"),
        ("en/train-labels-subtask-3.txt", "101\tthree\tDoubt\n", "not a whole number"),
        ("en/train-labels-subtask-3-spans/article101-labels-subtask-3.txt", "101\tDoubt\t5\t9999\n", "outside the article"),
    ],
)
def test_semeval2023_broken_lines_name_file_and_line(copy_of, file, line, message):
    root = copy_of(SEMEVAL2023)
    path = root / file
    line_number = len(path.read_text(encoding="utf-8").splitlines()) + 1
    append(path, line)
    with pytest.raises(DatasetError, match=message) as error:
        list(read_semeval2023(root))
    if "no article file" not in message:
        assert f"{path}:{line_number}" in str(error.value)


def test_semeval2025_subtask3_input_gives_the_dominant_narrative_without_explanation(copy_of):
    root = copy_of(SEMEVAL2025)
    labels = root / "EN" / "subtask-3-annotations.txt"
    rows = [line.split("\t")[:3] for line in labels.read_text(encoding="utf-8").splitlines()]
    labels.write_text("".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    examples = {e.document_id: e for e in read_semeval2025(root, "test", ["EN"])}
    given = examples["EN_UA_fixture1.txt"]
    assert given.dominant_narrative == "URW: Discrediting the West, Diplomacy" and given.explanation is None
    append(labels, "EN_CC_fixture3.txt\tCC: Downplaying climate change\tnone\t\n")
    with pytest.raises(DatasetError, match="empty explanation"):
        list(read_semeval2025(root, "test", ["EN"]))


def test_semeval2025_mention_not_in_text_names_file_and_line(copy_of):
    root = copy_of(SEMEVAL2025)
    path = root / "EN" / "subtask-1-annotations.txt"
    append(path, "EN_CC_fixture2.txt\tGreenland\t3\t11\tInnocent\tVictim\n")
    with pytest.raises(DatasetError, match=f"{path}:4: 'Greenland' is not at offsets 3-11"):
        list(read_semeval2025(root))


def test_semeval2025_fine_role_of_another_main_role_is_refused(copy_of):
    root = copy_of(SEMEVAL2025)
    path = root / "EN" / "subtask-1-annotations.txt"
    append(path, "EN_CC_fixture2.txt\tfloods\t60\t65\tInnocent\tTyrant\n")
    with pytest.raises(DatasetError, match=":4: fine roles"):
        list(read_semeval2025(root))


def test_checkthat_broken_row_names_file_and_line(copy_of):
    root = copy_of(CHECKTHAT)
    path = root / "CT24_checkworthy_english_train.tsv"
    append(path, "10\tMaybe so.\tPerhaps\n")
    with pytest.raises(DatasetError, match=f"{path}:7: class_label must be Yes or No"):
        list(read_checkthat(root))


@pytest.mark.slow
def test_reads_all_shared_data_with_the_readme_counts(shared_data):
    semeval2023 = list(read_semeval2023(shared_data / "semeval2023-task3"))
    test_2023 = list(read_semeval2023(shared_data / "semeval2023-task3", "test"))
    semeval2025 = list(read_semeval2025(shared_data / "semeval2025-task10"))
    claims = {split: list(read_checkthat(shared_data / "checkthat2024-task1-en", split)) for split in ("train", "dev", "dev-test")}

    def count(examples, attribute, size=lambda value: 1):
        counter = Counter()
        for e in examples:
            value = getattr(e, attribute)
            if value is not None:
                counter[e.language] += size(value)
        return dict(counter)

    assert count(semeval2023, "genre") == {"en": 433, "fr": 157, "ge": 132, "it": 226, "po": 144, "ru": 142}
    assert count(semeval2023, "frames") == {"en": 433, "fr": 158, "ge": 132, "it": 227, "po": 145, "ru": 143}
    assert count(semeval2023, "paragraph_techniques") == {"en": 446, "fr": 158, "ge": 132, "it": 227, "po": 145, "ru": 143}
    assert count(semeval2023, "paragraph_techniques", len) == {"en": 9498, "fr": 2259, "ge": 1555, "it": 2623, "po": 2310, "ru": 1962}
    assert count(semeval2023, "spans", len) == {"en": 7201, "fr": 5595, "ge": 4501, "it": 6027, "po": 2839, "ru": 3399}
    assert Counter(e.genre for e in semeval2023 if e.genre) == {"opinion": 942, "reporting": 221, "satire": 71}
    assert Counter(e.language for e in test_2023) == {"en": 54, "fr": 50, "ge": 50, "it": 61, "po": 47, "ru": 72, "es": 30, "gr": 64, "ka": 29}
    assert Counter(e.language for e in semeval2025) == {"BG": 320, "EN": 321, "HI": 290, "PT": 311, "RU": 113}
    assert count(semeval2025, "mentions", len) == {"BG": 504, "EN": 551, "HI": 1833, "PT": 949, "RU": 322}
    assert count(semeval2025, "explanation") == {"BG": 284, "EN": 157, "HI": 158, "PT": 196, "RU": 113}
    for e in semeval2025:
        assert all(e.document.text[m.start : m.end] == m.text for m in e.mentions)
    # The README counts file lines; the reader counts rows: train has one line holding two rows,
    # and dev / dev-test end without a final line break.
    assert {split: len(rows) for split, rows in claims.items()} == {"train": 22501, "dev": 1032, "dev-test": 318}
    assert {split: sum(e.claim for e in rows) for split, rows in claims.items()} == {"train": 5413, "dev": 238, "dev-test": 108}


def test_file_offsets_put_back_bom_and_carriage_returns():
    examples = by_id(read_semeval2023(SEMEVAL2023))
    bom, crlf = examples["101"], examples["102"]
    raw = (SEMEVAL2023 / "en/train-articles-subtask-3/article101.txt").read_text(encoding="utf-8")
    (_, start, end), = bom.spans
    assert raw[slice(*bom.file_span(start, end))] == "disgraceful cash grab"
    raw = (SEMEVAL2023 / "en/train-articles-subtask-3/article102.txt").read_bytes().decode("utf-8")
    for paragraph in crlf.document.paragraphs:
        text = crlf.document.text[paragraph.start : paragraph.end]
        assert raw[slice(*crlf.file_span(paragraph.start, paragraph.end))] == text
