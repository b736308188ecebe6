"""The readable terminal summary of one analysis (rich): what `narrascope analyze` prints.

Every results section may be missing (a component unavailable or not asked for); the summary
shows what exists and says what does not.
"""

from __future__ import annotations

from rich.color import Color
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..model import Analysis
from ..labelsets import frame_name, technique_name
from .highlight import FAMILY_COLOURS, ROLE_COLOURS, segments, technique_family
from .summary import entity_role, excerpt, fine_roles, header_facts, technique_counts

SHOWN_CLAIMS = 10  # the terminal lists the top claims; JSON and HTML keep them all


def print_analysis(analysis: Analysis, console: Console) -> None:
    console.print(render(analysis))


def render(analysis: Analysis) -> RenderableType:
    parts: list[RenderableType] = [_header(analysis)]
    for title, section in (
        ("Genre and frames", _genre_and_frames),
        ("The text and its persuasion techniques", _article),
        ("Narratives", _narratives),
        ("Entities and their roles", _entities),
        ("Explanation", _explanation),
        ("Check-worthy claims", _claims),
        ("Removed by extraction", _removed),
    ):
        body = section(analysis)
        if body is not None:
            parts += [Rule(title, align="left", style="dim"), Padding(body, (0, 0, 1, 2), expand=False)]
    if analysis.warnings:
        warnings = Text("\n".join(f"! {w}" for w in analysis.warnings), style="yellow")
        parts += [Rule("Warnings", align="left", style="yellow"), Padding(warnings, (0, 0, 1, 2), expand=False)]
    return Group(*parts)


def _header(analysis: Analysis) -> Panel:
    document = analysis.document
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column(overflow="fold")
    for name, value in header_facts(analysis):
        facts.add_row(name, Text(value))  # Text: article content is never rich markup
    return Panel(facts, title=Text(document.title or "(untitled)", style="bold"), title_align="left")


def _scores(probabilities: dict[str, float], chosen: set[str]) -> Text:
    text = Text()
    for label, score in sorted(probabilities.items(), key=lambda item: -item[1]):
        if text:
            text.append(" · ", style="dim")
        text.append(f"{label} {score:.0%}", style="bold" if label in chosen else "dim")
    return text


def _genre_and_frames(analysis: Analysis) -> RenderableType | None:
    genre, frames = analysis.results.genre, analysis.results.frames
    if genre is None and frames is None:
        return None
    rows = Table.grid(padding=(0, 2))
    rows.add_column(style="dim", no_wrap=True)
    rows.add_column()
    if genre is not None:
        rows.add_row("genre", _scores(genre.probabilities, {genre.label}))
    if frames is not None:
        chosen = ", ".join(f"{frame_name(f.label)} {f.score:.0%}" for f in frames.labels)
        rows.add_row("frames", Text(chosen or "none above threshold"))
    return rows


def _article(analysis: Analysis) -> RenderableType:
    techniques = analysis.results.techniques
    document = analysis.document
    windows = [(p.start, p.end) for p in document.paragraphs] or [(0, len(document.text))]
    text = Text()
    for start, end in windows:
        if text:
            text.append("\n\n")
        for segment in segments(document.text, techniques.spans if techniques else [], start, end):
            text.append(document.text[segment.start : segment.end], style=_segment_style(segment.spans))
    if techniques is None:
        return Group(text, Text("\n(techniques not analysed)", style="dim"))
    return Group(text, Text(), _legend(analysis))


def _segment_style(spans) -> Style | None:
    families = list(dict.fromkeys(technique_family(s.label) for s in sorted(spans, key=lambda s: -s.score)))
    if not families:
        return None
    style = _highlight(FAMILY_COLOURS.get(families[0], "#b3b3b3"))
    if len(families) > 1:  # a second family overlaps: underline it
        style += Style(underline=True, bold=True)
    return style


def _highlight(background: str) -> Style:
    """The background colour with black or white text, whichever contrasts more (WCAG)."""
    luminance = Color.parse(background).get_truecolor().normalized
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in luminance]
    relative = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    black_contrast, white_contrast = (relative + 0.05) / 0.05, 1.05 / (relative + 0.05)
    return Style(color="black" if black_contrast >= white_contrast else "white", bgcolor=background)


def _legend(analysis: Analysis) -> RenderableType:
    counts = technique_counts(analysis)
    if not counts:
        return Text("No technique spans found.", style="dim")
    legend = Table(box=None, show_header=True, header_style="dim", padding=(0, 1))
    legend.add_column("family")
    legend.add_column("technique")
    legend.add_column("spans", justify="right")
    legend.add_column("top", justify="right")
    for (family, label), (count, top) in counts.items():
        swatch = Text.assemble(("  ", _highlight(FAMILY_COLOURS.get(family, "#b3b3b3"))), f" {family}")
        legend.add_row(swatch, Text(technique_name(label)), str(count), f"{top:.0%}")
    note = Text("Underlined bold text: a second technique family overlaps.", style="dim")
    return Group(legend, note)


def _narratives(analysis: Analysis) -> RenderableType | None:
    narratives = analysis.results.narratives
    if narratives is None:
        return None
    if not narratives.narratives:
        return Text("none detected", style="dim")
    text = analysis.document.text
    lines = Text()
    for narrative in narratives.narratives:
        lines.append(f"{narrative.label}", style="bold").append(f"  {narrative.score:.0%}\n")
        for sub in narratives.subnarratives:
            if sub.narrative == narrative.label:
                lines.append(f"  ↳ {sub.label.rsplit(': ', 1)[-1]}  {sub.score:.0%}\n")
        for span in narrative.evidence[:3]:
            lines.append(f"    “{excerpt(text[span.start:span.end])}”\n", style="italic")
    if narratives.candidates:
        lines.append("Closest below the decision cut (leads to check, not labels):\n", style="dim")
    for candidate in narratives.candidates:
        lines.append(f"  {candidate.label}  {candidate.score:.0%}\n", style="dim")
        for span in candidate.evidence[:1]:
            lines.append(f"    “{excerpt(text[span.start:span.end])}”\n", style="italic dim")
    lines.rstrip()
    return lines


def _entities(analysis: Analysis) -> RenderableType | None:
    entities = analysis.results.entities
    if entities is None:
        return None
    if not entities.entities:
        return Text("none found", style="dim")
    table = Table(box=None, header_style="dim", padding=(0, 1))
    for column in ("entity", "type", "role", "fine roles", "mentions"):
        table.add_column(column)
    for entity in entities.entities:
        role = entity_role(entity)
        table.add_row(
            Text(entity.name),
            Text(entity.type or ""),
            Text(role, style=ROLE_COLOURS.get(role, "")),
            Text(", ".join(fine_roles(entity))),
            str(len(entity.mentions)),
        )
    return table


def _explanation(analysis: Analysis) -> RenderableType | None:
    explanation = analysis.results.explanation
    if explanation is None:
        return None
    lines = Text(explanation.subnarrative or explanation.narrative, style="bold")
    lines.append(f"\n{explanation.text}", style="not bold")
    spans = [span for part in explanation.parts for span in part.evidence]
    if spans:
        lines.append("\nquoted from characters " + ", ".join(f"{s.start}–{s.end}" for s in spans), style="dim")
    if explanation.note:
        lines.append(f"\n{explanation.note}", style="dim")
    return lines


def _claims(analysis: Analysis) -> RenderableType | None:
    claims = analysis.results.claims
    if claims is None:
        return None
    if not claims.claims:
        return Text("none found", style="dim")
    table = Table(box=None, header_style="dim", padding=(0, 1))
    table.add_column("#", justify="right")
    table.add_column("score", justify="right")
    table.add_column("claim", overflow="fold")
    table.add_column("kinds", style="dim")
    text = analysis.document.text
    ranked = sorted(claims.claims, key=lambda c: c.rank)
    for claim in ranked[:SHOWN_CLAIMS]:
        claimed = Text(text[claim.start : claim.end])
        table.add_row(str(claim.rank), f"{claim.score:.0%}", claimed, Text(", ".join(claim.kinds)))
    if len(ranked) > SHOWN_CLAIMS:
        return Group(table, Text(f"… and {len(ranked) - SHOWN_CLAIMS} more (see --json or --html)", style="dim"))
    return table


def _removed(analysis: Analysis) -> RenderableType | None:
    removed = analysis.document.removed
    if not removed:
        return None
    lines = Text(f"{len(removed)} piece(s) cut, e.g.:\n", style="dim")
    for piece in removed[:5]:
        lines.append(f"  [{piece.reason}] ", style="dim").append(excerpt(piece.text, 100) + "\n")
    lines.rstrip()
    return lines
