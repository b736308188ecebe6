"""`narrascope train` on data it cannot learn from: a clear message and exit 2, nothing written."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from narrascope.cli import main

DATASETS = FIXTURES / "datasets"


@pytest.mark.parametrize(
    ("task", "dataset", "message"),
    [
        ("genre", "semeval2023-task3", "no train data for language fr"),
        ("narratives", "semeval2025-task10", "documents with narrative annotations (subtask-2-annotations.txt) are too few"),
        ("roles", "semeval2025-task10", "mentions with roles (subtask-1-annotations.txt)"),
        ("claims", "checkthat2024-task1-en", "no CT24_checkworthy_english_dev-test.tsv"),
    ],
)
def test_training_without_the_data_it_needs_says_what_is_missing(tmp_path, capsys, task, dataset, message):
    out = tmp_path / "artifact"
    code = main(["train", "--task", task, "--data", str(DATASETS / dataset), "--out", str(out)])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
