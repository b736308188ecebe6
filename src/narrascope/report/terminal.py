"""The readable terminal summary of one analysis (rich): what `narrascope analyze` prints.

Every results section may be missing (a component unavailable or not asked for); the summary
shows what exists and says what does not.
"""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..model import Analysis
from .highlight import FAMILY_COLOURS, ROLE_COLOURS, segments, technique_family, technique_name
from .summary import entity_role, excerpt, fine_roles, header_facts, technique_counts


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
            parts += [Rule(title, align="left", style="dim"), Padding(body, (0, 0, 1, 2))]
    if analysis.warnings:
        warnings = Text("\n".join(f"! {w}" for w in analysis.warnings), style="yellow")
        parts += [Rule("Warnings", align="left", style="yellow"), Padding(warnings, (0, 0, 1, 2))]
    return Group(*parts)


def _header(analysis: Analysis) -> Panel:
    document = analysis.document
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column(overflow="fold")
    for name, value in header_facts(analysis):
        facts.add_row(name, value)
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
        chosen = Text(", ".join(f"{f.label} {f.score:.0%}" for f in frames.labels) or "none above threshold")
        rows.add_row("frames", chosen)
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
    style = Style(color="black", bgcolor=FAMILY_COLOURS.get(families[0], "grey70"))
    if len(families) > 1:  # a second family overlaps: underline it
        style += Style(underline=True, bold=True)
    return style


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
        swatch = Text("  ", style=Style(bgcolor=FAMILY_COLOURS.get(family, "grey70")))
        legend.add_row(swatch + Text(f" {family}"), technique_name(label), str(count), f"{top:.0%}")
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
            entity.name,
            entity.type or "",
            Text(role, style=ROLE_COLOURS.get(role, "")),
            ", ".join(fine_roles(entity)),
            str(len(entity.mentions)),
        )
    return table


def _explanation(analysis: Analysis) -> RenderableType | None:
    explanation = analysis.results.explanation
    if explanation is None:
        return None
    head = Text(explanation.subnarrative or explanation.narrative, style="bold")
    return Group(head, Text(explanation.text))


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
    for claim in sorted(claims.claims, key=lambda c: c.rank):
        table.add_row(str(claim.rank), f"{claim.score:.0%}", text[claim.start : claim.end], ", ".join(claim.kinds))
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
