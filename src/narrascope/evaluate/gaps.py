"""How much of a head's validation score holds on new data.

The fixed validation part comes from the same period and outlets as the articles a head learnt
from, so it flatters. Each task's shift-aware estimates (`cross-language`, `cross-source`,
`cross-debate`; for claims also CheckThat's later `dev` and `dev-test` files) are set beside its
validation score, and the gap between them is stated: in docs/results.md and, with
`narrascope report-results --update-cards`, in the card of the shipped head the numbers belong to.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..artifacts import SHIPPED
from .tasks import TASKS

CARD_FIELD = "shift_aware"


@dataclass(frozen=True)
class Gap:
    """One shift-aware estimate of a task's shipped recipe against its validation score."""

    task: str
    split: str
    metric: str
    validation: float
    shifted: float
    languages: dict[str, float]
    model_version: str
    results_file: str

    @property
    def gap(self) -> float:
        return self.shifted - self.validation


def _shift_runs(results: list[dict]) -> Iterator[tuple[dict, dict]]:
    """Each shift-aware model result with the same task's model validation result."""
    model = {(r["task"], r["split"]): r for r in results if r["predictor"] == "model"}
    for (task, split), run in model.items():
        validation = model.get((task, "validation"))
        if split != "validation" and validation:
            yield run, validation


def unpaired(results: list[dict]) -> list[str]:
    """Shift-aware model results whose version differs from the validation result's (not a gap)."""
    return [
        f"{run['task']} {run['split']} scored {run.get('model_version')}, validation {validation.get('model_version')}"
        for run, validation in _shift_runs(results)
        if validation.get("model_version") != run.get("model_version")
    ]


def gaps(results: list[dict]) -> list[Gap]:
    """Every (task, shift-aware split) with a model result beside a model validation result of
    the same model version, in task order."""
    found = []
    for run, validation in _shift_runs(results):
        if validation.get("model_version") != run.get("model_version"):
            continue
        task, split = run["task"], run["split"]
        metric = TASKS[task].headline
        found.append(
            Gap(
                task,
                split,
                metric,
                validation["average"][metric],
                run["average"][metric],
                {lang: values[metric] for lang, values in sorted(run["languages"].items()) if metric in values},
                run.get("model_version") or "",
                run["_file"],
            )
        )
    order = list(TASKS)
    return sorted(found, key=lambda g: (order.index(g.task), g.split))


def gaps_markdown(found: list[Gap], mismatched: Sequence[str] = ()) -> list[str]:
    """The section of docs/results.md that states each gap (and the estimates that cannot be set
    against validation because another version made them)."""
    lines = [
        "## What holds on new data: shift-aware estimates against validation",
        "",
        "The official metric of the shipped recipe on each shift-aware split beside the fixed validation",
        "part (averages over languages); `gap` = shift-aware minus validation. A negative gap is what",
        "the validation part hides: expect scores on new outlets and periods nearer the shift-aware one.",
        "",
        "| task | split | metric | validation | shift-aware | gap | version |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    lines += [
        f"| {g.task} | {g.split} | {g.metric} | {g.validation:.3f} | {g.shifted:.3f} | {g.gap:+.3f} | {g.model_version} |"
        for g in found
    ]
    missing = [t for t in TASKS if t not in {g.task for g in found}]
    if missing:
        lines += ["", "No shift-aware estimate yet for: " + ", ".join(missing) + "."]
    if mismatched:
        lines += ["", "Not comparable (another version than the validation result's): " + "; ".join(mismatched) + "."]
    return [*lines, ""]


def update_cards(found: list[Gap]) -> list[str]:
    """Write each gap into the card of the shipped head it measured (the artifact whose name is
    the task's last trainer and whose version is in the result's model version), by split; a task
    the artifact serves beside its own (explanations, read from the narratives heads) goes under
    its task's name, so neither overwrites the other. The names of the cards written."""
    from ..train.protocol import TRAINERS

    by_artifact: dict[str, list[Gap]] = {}
    for g in found:
        by_artifact.setdefault(TRAINERS[g.task][-1], []).append(g)
    written = []
    for name, artifact_gaps in sorted(by_artifact.items()):
        path = SHIPPED / name / "card.json"
        if not path.is_file():
            continue
        card = json.loads(path.read_text(encoding="utf-8"))
        current = [g for g in artifact_gaps if card.get("version") in g.model_version.replace(",", " ").split()]
        if not current:
            continue
        entries: dict[str, dict] = {}
        for g in current:
            where = entries if g.task == name else entries.setdefault(g.task, {})
            where[g.split] = {
                "metric": g.metric,
                "validation": round(g.validation, 4),
                "shift_aware": round(g.shifted, 4),
                "gap": round(g.gap, 4),
                "languages": {lang: round(value, 4) for lang, value in g.languages.items()},
                "results": f"results/{g.results_file}",
            }
        card[CARD_FIELD] = entries
        path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(name)
    return written
