"""The published JSON Schema of the analysis: every property says what it holds."""

from __future__ import annotations

import json

from narrascope.cli import main


def test_every_property_of_the_analysis_schema_is_described(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    definitions = {"Analysis": schema, **schema["$defs"]}
    properties = [(name, key, value) for name, d in definitions.items() for key, value in d.get("properties", {}).items()]
    assert len(properties) >= 100
    missing = [f"{name}.{key}" for name, key, value in properties if not value.get("description", "").strip()]
    assert missing == []
    spans = definitions["Span"]["properties"]
    assert "offset into Document.text" in spans["start"]["description"]
    assert "exclusive" in spans["end"]["description"]
    assert "SemEval-2023 Task 3" in definitions["TechniqueSpan"]["properties"]["label"]["description"]
    assert "never the time of analysis" in definitions["Document"]["properties"]["published"]["description"]
