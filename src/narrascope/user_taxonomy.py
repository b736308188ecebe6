"""Taxonomy files: a user's own label set (narratives they track), in YAML, with line-and-field
errors. Not to be confused with `taxonomy.py`, the fixed SemEval label sets the built-in heads
predict.

    format: narrascope-taxonomy/1
    name: energy-narratives
    version: "1.2"
    labels:
      - id: heat-pumps-ruin
        name: Heat pumps will bankrupt you
        description: Heat pumps and green heating rules are an unaffordable burden on households.
        parent: green-tech-costly          # optional: the id of a broader label
        examples:                          # optional: sentences, or articles
          - Installing a heat pump costs more than most families earn in a year.
          - {file: examples/heat-pump-column.html}
          - {document: 3f1c2a9b0d4e5f67}   # a document in the store
        negatives:                         # optional: sentences that are NOT this narrative
          - Heat pumps cut household bills by a third, the agency found.
    negatives:                             # optional: text that pushes none of the labels
      - {folder: examples/neutral-reports/}  # every article in it

YAML (PyYAML) rather than TOML: PyYAML's composer keeps the line of every value, so an error can
say `file:12: labels[2].description: ...`; stdlib `tomllib` reports lines for syntax errors only.
The file is parsed with the safe loader (no Python objects), and its size and node count are
capped. The full reference is docs/custom-narratives.md; `user_taxonomy_edit` writes files.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import InputError

FORMAT = "narrascope-taxonomy/1"
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000  # aliases can multiply a small file; past this it is refused
MAX_NAME = 50  # the taxonomy's name: stored beside each label as the component ("custom:<name>")
MAX_VERSION = 32
MAX_LABEL_NAME = 200
MAX_TEXT = 2000  # a description or an example sentence
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
DOCUMENT_ID = re.compile(r"[0-9a-f]{16}")
TOP_KEYS = ("format", "name", "version", "description", "labels", "negatives")
LABEL_KEYS = ("id", "name", "description", "parent", "examples", "negatives")
EXAMPLE_KEYS = ("text", "file", "folder", "document")


@dataclass(frozen=True)
class ExampleRef:
    """One seed example as written: a sentence (`text`), an article file (`file`, relative to the
    taxonomy file), a folder of articles (`folder`, likewise) or a stored document (`document`,
    its id)."""

    text: str | None = None
    file: str | None = None
    document: str | None = None
    line: int = 0
    folder: str | None = None


@dataclass(frozen=True)
class UserLabel:
    id: str
    name: str
    description: str
    parent: str | None = None
    examples: tuple[ExampleRef, ...] = ()
    negatives: tuple[ExampleRef, ...] = ()


@dataclass(frozen=True)
class UserTaxonomy:
    name: str
    version: str
    labels: tuple[UserLabel, ...]
    description: str | None = None
    negatives: tuple[ExampleRef, ...] = ()  # text that pushes none of the labels
    path: Path | None = field(default=None, compare=False)

    @property
    def fingerprint(self) -> str:
        """A hash of everything that changes what the taxonomy predicts (labels, descriptions,
        parents, examples as written): a trained model or a stored result names the exact file.
        A file without file-wide negatives hashes as it did before they existed."""
        content: list | dict = [
            [label.id, label.name, label.description, label.parent, _refs(label.examples), _refs(label.negatives)]
            for label in self.labels
        ]
        if self.negatives:
            content = {"labels": content, "negatives": _refs(self.negatives)}
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()[:12]

    def label(self, label_id: str) -> UserLabel:
        return next(label for label in self.labels if label.id == label_id)

    def ancestors(self, label_id: str) -> list[str]:
        """Ids of the label's parent, grandparent... (nearest first)."""
        chain, parent = [], self.label(label_id).parent
        while parent is not None:
            chain.append(parent)
            parent = self.label(parent).parent
        return chain


def _refs(refs: tuple[ExampleRef, ...]) -> list[list[str | None]]:
    """The examples as written (a folder is added only where given: older files hash as before)."""
    return [[e.text, e.file, e.document, *([e.folder] if e.folder else [])] for e in refs]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a taxonomy file: where (line) and which field, and what to do."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.field}: {self.message}" if self.field else f"{self.line}: {self.message}"


class TaxonomyError(InputError):
    """A taxonomy file that cannot be used; `problems` lists every error found, in file order."""

    def __init__(self, path: str | Path, problems: list[Problem]):
        self.path = str(path)
        self.problems = sorted(problems, key=lambda p: p.line)
        lines = "\n".join(f"{self.path}:{p}" for p in self.problems)
        super().__init__(f"{self.path}: {len(self.problems)} problem(s) in the taxonomy file\n{lines}")


def load(path: str | Path) -> UserTaxonomy:
    """Read and validate a taxonomy file; `TaxonomyError` lists every problem with its line and field.
    Example files must exist (relative paths are read from the taxonomy file's folder)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the taxonomy file ({exc.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{path}: taxonomy file larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TaxonomyError(path, [Problem(_line_at(data, exc.start), "", "not UTF-8 text")]) from None
    return parse(text, path)


def parse(text: str, path: str | Path = "<taxonomy>") -> UserTaxonomy:
    """Validate taxonomy YAML given as text (`path` names it in errors and anchors example files)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise TaxonomyError(path, [Problem(line, "", f"not valid YAML: {exc.problem or exc.context}")]) from None
    except yaml.YAMLError as exc:
        raise TaxonomyError(path, [Problem(1, "", f"not valid YAML: {exc}")]) from None
    checker = _Checker(Path(path))
    taxonomy = checker.taxonomy(root)
    if checker.problems or taxonomy is None:
        raise TaxonomyError(path, checker.problems or [Problem(1, "", "empty file")])
    return taxonomy


# --- validation --------------------------------------------------------------------------


class _Checker:
    """Walks the composed YAML nodes (which keep their lines), collecting every problem."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []
        self.nodes = 0
        self.parent_nodes: dict[str, yaml.Node] = {}  # label id -> its `parent` value, for errors

    def problem(self, node: yaml.Node | None, where: str, message: str) -> None:
        self.problems.append(Problem(node.start_mark.line + 1 if node is not None else 1, where, message))

    def taxonomy(self, root: yaml.Node | None) -> UserTaxonomy | None:
        if root is None:
            self.problem(None, "", f"empty file; a taxonomy starts with `format: {FORMAT}`")
            return None
        top = self.mapping(root, "", TOP_KEYS)
        if top is None:
            return None
        fmt = self.string(top, "format", "format", required=True)
        if fmt is not None and fmt != FORMAT:
            self.problem(top["format"][1], "format", f"unknown format {fmt!r}; this narrascope reads {FORMAT!r}")
        name = self.string(top, "name", "name", required=True, limit=MAX_NAME)
        version = self.version(top)
        description = self.string(top, "description", "description", limit=MAX_TEXT)
        labels = self.labels(top)
        negatives = self.examples(top, "negatives", "")
        if self.problems or name is None or version is None:
            return None
        return UserTaxonomy(name=name, version=version, labels=tuple(labels), description=description,
                            negatives=tuple(negatives), path=self.path)

    def version(self, top: dict[str, tuple[yaml.Node, yaml.Node]]) -> str | None:
        if "version" not in top:
            self.problem(top["__node__"][1], "version", 'required: the taxonomy\'s version, e.g. version: "1.0"')
            return None
        node = top["version"][1]
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":float"):
            self.problem(node, "version", f'write it as text, version: "{node.value}" (YAML reads {node.value} as a number)')
            return None
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":int"):
            return node.value
        return self.string(top, "version", "version", required=True, limit=MAX_VERSION)

    def labels(self, top: dict[str, tuple[yaml.Node, yaml.Node]]) -> list[UserLabel]:
        if "labels" not in top:
            self.problem(top["__node__"][1], "labels", "required: a list of labels, each with id, name and description")
            return []
        node = top["labels"][1]
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.problem(node, "labels", "expected a list of at least one label")
            return []
        labels, lines, names = [], {}, {}
        for index, item in enumerate(node.value):
            where = f"labels[{index}]"
            label = self.label(item, where)
            if label is None:
                continue
            if label.id in lines:
                self.problem(item, f"{where}.id", f"duplicate id {label.id!r} (first at line {lines[label.id]})")
            elif label.name.casefold() in names:
                self.problem(item, f"{where}.name", f"duplicate name {label.name!r} (first at line {names[label.name.casefold()]})")
            else:
                lines[label.id] = names[label.name.casefold()] = item.start_mark.line + 1
                labels.append((item, where, label))
        self.parents(labels)
        return [label for _, _, label in labels]

    def parents(self, labels: list[tuple[yaml.Node, str, UserLabel]]) -> None:
        by_id = {label.id: label for _, _, label in labels}
        for item, where, label in labels:
            if label.parent is None:
                continue
            node = self.parent_nodes.get(label.id, item)
            if label.parent not in by_id:
                self.problem(node, f"{where}.parent", f"no label has id {label.parent!r}")
                continue
            seen, parent = {label.id}, label.parent
            while parent is not None and parent in by_id:
                if parent in seen:
                    self.problem(node, f"{where}.parent", f"{label.id!r} is its own ancestor (a cycle of parents)")
                    break
                seen.add(parent)
                parent = by_id[parent].parent

    def label(self, node: yaml.Node, where: str) -> UserLabel | None:
        fields = self.mapping(node, where, LABEL_KEYS)
        if fields is None:
            return None
        label_id = self.string(fields, "id", f"{where}.id", required=True)
        if label_id is not None and not ID_PATTERN.fullmatch(label_id):
            self.problem(fields["id"][1], f"{where}.id",
                         f"{label_id!r}: use letters, digits, '-', '_' or '.', starting with a letter or digit (64 at most)")
            label_id = None
        name = self.string(fields, "name", f"{where}.name", required=True, limit=MAX_LABEL_NAME)
        description = self.string(fields, "description", f"{where}.description", required=True, limit=MAX_TEXT)
        parent = self.string(fields, "parent", f"{where}.parent")
        examples = self.examples(fields, "examples", where)
        negatives = self.examples(fields, "negatives", where)
        if None in (label_id, name, description):
            return None
        if parent is not None:
            self.parent_nodes[label_id] = fields["parent"][1]
        return UserLabel(label_id, name, description, parent, tuple(examples), tuple(negatives))

    def examples(self, fields: dict[str, tuple[yaml.Node, yaml.Node]], key: str, where: str) -> list[ExampleRef]:
        if key not in fields:
            return []
        node = fields[key][1]
        field_name = f"{where}.{key}" if where else key
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, field_name, "expected a list of sentences or {file: ...} / {folder: ...} / {document: ...} entries")
            return []
        found = []
        for index, item in enumerate(node.value):
            example = self.example(item, f"{field_name}[{index}]")
            if example is not None:
                found.append(example)
        return found

    def example(self, node: yaml.Node, where: str) -> ExampleRef | None:
        line = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            text = self.scalar_text(node, where, limit=MAX_TEXT)
            return ExampleRef(text=text, line=line) if text is not None else None
        fields = self.mapping(node, where, EXAMPLE_KEYS)
        if fields is None:
            return None
        given = [key for key in EXAMPLE_KEYS if key in fields]
        if len(given) != 1:
            self.problem(node, where, f"give exactly one of text, file, folder or document (got {', '.join(given) or 'none'})")
            return None
        key = given[0]
        value = self.string(fields, key, f"{where}.{key}", required=True, limit=MAX_TEXT)
        if value is None:
            return None
        if key == "file" and not (self.path.parent / value).is_file():
            self.problem(fields[key][1], f"{where}.file", f"no such file {str(self.path.parent / value)!r}")
            return None
        if key == "folder" and not (self.path.parent / value).is_dir():
            self.problem(fields[key][1], f"{where}.folder", f"no such folder {str(self.path.parent / value)!r}")
            return None
        if key == "document" and not DOCUMENT_ID.fullmatch(value):
            self.problem(fields[key][1], f"{where}.document", f"{value!r} is not a document id (16 hex digits)")
            return None
        return ExampleRef(line=line, **{key: value})

    # --- node helpers ---

    def mapping(self, node: yaml.Node, where: str, allowed: tuple[str, ...]) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """The mapping's entries by key (plus `__node__`), or None after reporting what is wrong."""
        self.count(node)
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, where, f"expected a mapping with keys {', '.join(allowed)}")
            return None
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {"__node__": (node, node)}
        for key_node, value_node in node.value:
            self.count(value_node)
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            field_name = f"{where}.{key}" if where else str(key)
            if key not in allowed:
                self.problem(key_node, field_name, f"unknown field; expected one of {', '.join(allowed)}")
            elif key in entries:
                self.problem(key_node, field_name, f"given twice (first at line {entries[key][0].start_mark.line + 1})")
            else:
                entries[key] = (key_node, value_node)
        return entries

    def string(self, fields: dict[str, tuple[yaml.Node, yaml.Node]], key: str, where: str,
               required: bool = False, limit: int = MAX_TEXT) -> str | None:
        if key not in fields:
            if required:
                self.problem(fields["__node__"][1], where, "required")
            return None
        return self.scalar_text(fields[key][1], where, limit)

    def scalar_text(self, node: yaml.Node, where: str, limit: int) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
            self.problem(node, where, "expected text")
            return None
        value = " ".join(str(node.value).split())
        if not value:
            self.problem(node, where, "empty")
            return None
        if len(value) > limit:
            self.problem(node, where, f"longer than {limit} characters")
            return None
        return value

    def count(self, node: yaml.Node) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise TaxonomyError(self.path, [Problem(node.start_mark.line + 1, "", "too many YAML nodes (aliases?)")])


def _line_at(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1
