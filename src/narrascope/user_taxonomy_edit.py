"""Writing taxonomy files (`user_taxonomy` reads them): a new file, or one more label added to
an existing file in place, so the user's comments and layout stay."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError
from .user_taxonomy import FORMAT, MAX_NAME, UserLabel, UserTaxonomy, load, parse


def label_yaml(label: UserLabel) -> str:
    """One label as a YAML list item (what `add_label` appends)."""
    entry: dict[str, Any] = {"id": label.id, "name": label.name, "description": label.description}
    if label.parent:
        entry["parent"] = label.parent
    if label.examples:
        entry["examples"] = [e.text for e in label.examples if e.text]
    text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=100)
    return text


def new_taxonomy_yaml(name: str, version: str, labels: list[UserLabel]) -> str:
    head = yaml.safe_dump({"format": FORMAT, "name": name, "version": version}, allow_unicode=True, sort_keys=False)
    return head + "labels:\n" + "".join(_indent(label_yaml(label), "  ") for label in labels)


def add_label(path: str | Path, label: UserLabel) -> UserTaxonomy:
    """Append `label` to the taxonomy file at `path` and bump its version's last number (1.2 ->
    1.3), editing the text in place so the user's comments and layout stay; the result is
    validated before it replaces the file. A missing file is created with this one label."""
    path = Path(path)
    if not path.exists():
        text = new_taxonomy_yaml(path.stem[:MAX_NAME] or "my-narratives", "1", [label])
    else:
        current = load(path)
        if any(existing.id == label.id for existing in current.labels):
            raise InputError(f"{path}: a label with id {label.id!r} already exists")
        if any(existing.name.casefold() == label.name.casefold() for existing in current.labels):
            raise InputError(f"{path}: a label named {label.name!r} already exists")
        text = _appended(path.read_text(encoding="utf-8-sig"), label, bump_version(current.version))
    updated = parse(text, path)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    return updated


def bump_version(version: str) -> str:
    """'1.2' -> '1.3', '7' -> '8', 'spring' -> 'spring.1': a changed file gets a new version."""
    match = re.search(r"(\d+)(?!.*\d)", version)
    if match is None:
        return f"{version}.1"
    number = str(int(match.group(1)) + 1).zfill(len(match.group(1)))  # keeps "05" two digits wide
    return version[: match.start()] + number + version[match.end():]


def _appended(text: str, label: UserLabel, version: str) -> str:
    """`text` with `label` added after the last label and the version value replaced."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    entries = {key.value: value for key, value in root.value}
    labels, version_node = entries["labels"], entries["version"]
    if labels.flow_style:
        raise InputError("the taxonomy's labels are a [flow] list; write them as a block list (- id: ...) to add labels")
    dash = " " * max(0, labels.value[0].start_mark.column - 2)  # items are "- id: ..." at this indentation
    block = _indent(label_yaml(label), dash)
    at = labels.end_mark.index
    if at > 0 and text[at - 1] != "\n":
        block = "\n" + block
    edits = [(at, at, block), (version_node.start_mark.index, version_node.end_mark.index, json.dumps(version))]
    for start, stop, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[stop:]
    return text


def _indent(block: str, prefix: str) -> str:
    return "".join(prefix + line if line.strip() else line for line in block.splitlines(keepends=True))
