"""`segments`: the one place overlapping spans are resolved, for every view."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from narrascope.labelsets import technique_name
from narrascope.report.highlight import css_name, segments, stylesheet
from narrascope.taxonomy import TECHNIQUE_FAMILIES, TECHNIQUES

TEXT = "0123456789abcdefghij"


@dataclass(frozen=True)
class S:
    start: int
    end: int
    label: str = ""


def cut(text: str, spans: list[S], **window) -> list[tuple[str, tuple[str, ...]]]:
    return [(text[g.start : g.end], tuple(s.label for s in g.spans)) for g in segments(text, spans, **window)]


def test_no_spans_is_one_unmarked_segment():
    assert cut(TEXT, []) == [(TEXT, ())]


def test_nested_spans():
    assert cut(TEXT, [S(2, 8, "outer"), S(4, 6, "inner")]) == [
        ("01", ()),
        ("23", ("outer",)),
        ("45", ("outer", "inner")),
        ("67", ("outer",)),
        ("89abcdefghij", ()),
    ]


def test_overlapping_spans_are_split_where_they_cross():
    assert cut(TEXT, [S(5, 12, "b"), S(2, 8, "a")]) == [
        ("01", ()),
        ("234", ("a",)),
        ("567", ("a", "b")),
        ("89ab", ("b",)),
        ("cdefghij", ()),
    ]


def test_adjacent_spans_do_not_share_a_segment():
    assert cut(TEXT, [S(0, 3, "a"), S(3, 6, "b")])[:2] == [("012", ("a",)), ("345", ("b",))]


def test_identical_spans_both_cover_the_segment_outermost_longest_first():
    assert cut(TEXT, [S(0, 4, "short"), S(0, 8, "long"), S(0, 4, "twin")])[0] == ("0123", ("long", "short", "twin"))


def test_empty_and_out_of_range_spans_are_ignored_or_clipped():
    assert cut(TEXT, [S(3, 3, "empty"), S(15, 99, "tail"), S(40, 50, "beyond")]) == [
        ("0123456789abcde", ()),
        ("fghij", ("tail",)),
    ]


def test_a_window_covers_only_its_part_and_clips_spans():
    assert cut(TEXT, [S(0, 12, "a")], start=10, end=15) == [("ab", ("a",)), ("cde", ())]


def test_empty_text_has_no_segments():
    assert segments("", [S(0, 3)]) == []


spans = st.lists(st.builds(S, st.integers(-5, 30), st.integers(-5, 30), st.sampled_from("abc")), max_size=12)


@given(spans)
def test_segments_cover_the_text_exactly_once_with_the_spans_covering_them(spans):
    result = segments(TEXT, spans)
    assert "".join(TEXT[g.start : g.end] for g in result) == TEXT
    assert all(g.start < g.end for g in result)
    assert all(a.end == b.start for a, b in zip(result, result[1:]))
    for g in result:
        covering = {id(s) for s in spans if s.start <= g.start and g.end <= s.end}
        assert {id(s) for s in g.spans} == covering
    for a, b in zip(result, result[1:]):  # a cut only where the covering set changes
        assert {id(s) for s in a.spans} != {id(s) for s in b.spans}


def test_every_technique_family_has_a_colour_rule():
    css = stylesheet()
    for family in TECHNIQUE_FAMILIES:
        assert f".fam-{css_name(family)} {{ --fam: #" in css


def test_technique_names_are_readable():
    assert technique_name("False_Dilemma-No_Choice") == "False Dilemma/No Choice"
    assert all("_" not in technique_name(label) for label in TECHNIQUES)
