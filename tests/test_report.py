"""The HTML and terminal reports: complete, escaped, and readable with partial results."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from rich.console import Console

from narrascope.model import (
    Analysis,
    Claim,
    ClaimsResult,
    ComponentInfo,
    Document,
    EntitiesResult,
    Entity,
    EntityMention,
    ExplanationPart,
    ExplanationResult,
    FrameLabel,
    FramesResult,
    GenreResult,
    Language,
    LabelScore,
    NarrativeLabel,
    NarrativesResult,
    Paragraph,
    RemovedText,
    Results,
    Sentence,
    Span,
    SubnarrativeLabel,
    TechniqueSpan,
    TechniquesResult,
)
from narrascope.report import print_analysis, render_html

CHROMIUM = "/usr/bin/chromium"
HOSTILE_TITLE = 'Kyiv <script>alert("title")</script> & co'
LINES = [
    "Traitors <script>alert(1)</script> sold out the nation!",
    'The minister said 40% of the funds vanished. <img src=x onerror="alert(2)">',
]
TEXT = "\n".join(LINES)
INFO = ComponentInfo(name="test", version="0")


def span_of(fragment: str) -> dict[str, int]:
    """Offsets of the fragment's first occurrence in TEXT, as span keyword arguments."""
    start = TEXT.index(fragment)
    return {"start": start, "end": start + len(fragment)}


def sample_analysis(results: Results | None = None, **document_fields) -> Analysis:
    second = TEXT.index("\n") + 1
    fields = dict(
        id=Document.content_id(TEXT),
        source="https://news.example/a?x=<b>",
        url="javascript:alert(3)",
        title=HOSTILE_TITLE,
        authors=["A. <b>Writer</b>"],
        published="2024-03-01",
        site="news.example",
        language=Language(code="en", confidence=0.97),
        text=TEXT,
        paragraphs=[Paragraph(start=0, end=second - 1), Paragraph(start=second, end=len(TEXT))],
        sentences=[Sentence(start=0, end=second - 1, paragraph=0), Sentence(start=second, end=len(TEXT), paragraph=1)],
        mixed_language=True,
        removed=[RemovedText(text="Subscribe <iframe src=//evil>", reason="boilerplate")],
    )
    document = Document(**(fields | document_fields))
    return Analysis(
        document=document,
        results=results if results is not None else full_results(),
        warnings=["component 'frames' unavailable: <no artifact>"],
    )


def full_results() -> Results:
    claim = span_of("The minister said 40% of the funds vanished.")
    return Results(
        genre=GenreResult(
            component=INFO, label="opinion", probabilities={"opinion": 0.8, "reporting": 0.15, "satire": 0.05}
        ),
        frames=FramesResult(
            component=INFO,
            labels=[FrameLabel(label="Security_and_defense", score=0.7)],
            probabilities={"Security_and_defense": 0.7},
        ),
        techniques=TechniquesResult(
            component=INFO,
            paragraphs=[],
            spans=[
                TechniqueSpan(start=0, end=8, label="Name_Calling-Labeling", score=0.9, paragraph=0),
                TechniqueSpan(start=0, end=span_of("sold out")["end"], label="Loaded_Language", score=0.6, paragraph=0),
                TechniqueSpan(**span_of("the nation"), label="Flag_Waving", score=0.55, paragraph=0),
                TechniqueSpan(
                    start=TEXT.index("<img"), end=len(TEXT), label="Exaggeration-Minimisation", score=0.4, paragraph=1
                ),
            ],
        ),
        narratives=NarrativesResult(
            component=INFO,
            narratives=[NarrativeLabel(label="URW: Discrediting Ukraine", score=0.77, evidence=[Span(**claim)])],
            subnarratives=[
                SubnarrativeLabel(
                    label="URW: Discrediting Ukraine: Discrediting Ukrainian government and officials and policies",
                    narrative="URW: Discrediting Ukraine",
                    score=0.6,
                    evidence=[Span(**claim)],
                )
            ],
        ),
        entities=EntitiesResult(
            component=INFO,
            entities=[
                Entity(
                    name="The minister",
                    type="person",
                    mentions=[
                        EntityMention(
                            **span_of("The minister"),
                            text="The minister",
                            main_role="Antagonist",
                            main_role_scores={"Antagonist": 0.8, "Protagonist": 0.1, "Innocent": 0.1},
                            fine_roles=[LabelScore(label="Corrupt", score=0.7)],
                        )
                    ],
                )
            ],
        ),
        explanation=ExplanationResult(
            component=INFO,
            narrative="URW: Discrediting Ukraine",
            text="The text portrays officials as <em>corrupt</em>.",
            parts=[ExplanationPart(text="The text portrays officials as <em>corrupt</em>", evidence=[Span(**claim)])],
        ),
        claims=ClaimsResult(component=INFO, claims=[Claim(**claim, score=0.9, rank=1, kinds=["number"])]),
    )


class _Page(HTMLParser):
    """Collects tags, attributes and visible text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "title")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(page: str) -> _Page:
    parsed = _Page()
    parsed.feed(page)
    return parsed


def test_hostile_article_content_is_shown_as_text_never_as_markup():
    page = render_html([sample_analysis()])
    parsed = parse(page)
    tags = {tag for tag, _ in parsed.tags}
    assert not tags & {"script", "img", "iframe", "em", "b"}
    assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs)
    visible = "".join(parsed.text)
    for hostile in ("<script>alert(1)</script>", '<img src=x onerror="alert(2)">', "<em>corrupt</em>", "<b>Writer</b>"):
        assert hostile in visible
    assert 'alert("title")' in visible  # the title, in the heading, as text
    assert not any(attrs.get("href", "").startswith("javascript") for _, attrs in parsed.tags)


def test_html_report_is_standalone():
    page = render_html([sample_analysis()])
    parsed = parse(page)
    assert not [attrs for _, attrs in parsed.tags if "src" in attrs]
    assert {tag for tag, _ in parsed.tags}.isdisjoint({"link", "script", "object", "embed", "iframe"})
    external = [attrs["href"] for _, attrs in parsed.tags if not attrs.get("href", "#").startswith("#")]
    assert external == ["https://news.example/a?x=<b>"]  # the article's own source, a plain link
    assert "@import" not in page and "url(" not in page
    assert '<meta name="viewport"' in page


def test_every_technique_mark_is_focusable_and_explains_itself():
    parsed = parse(render_html([sample_analysis()]))
    marks = [attrs for tag, attrs in parsed.tags if tag == "mark"]
    assert marks and all(attrs.get("tabindex") == "0" for attrs in marks)
    first = marks[0]  # "Traitors": two techniques of two families overlap
    assert "Name Calling/Labeling (90%)" in first["title"] and "Loaded Language (60%)" in first["title"]
    assert "a label that makes the audience hate or love its target" in first["title"]
    assert "fam-attack-on-reputation" in first["class"] and "also-manipulative-wording" in first["class"]
    minister = next(attrs for attrs in marks if "entity" in attrs["class"])
    assert minister["data-role"] == "Antagonist" and "Corrupt" in minister["title"]


def test_article_text_survives_highlighting_unchanged():
    parsed = parse(render_html([sample_analysis()]))
    assert all(line in "".join(parsed.text) for line in LINES)


def test_narrative_claim_and_explanation_links_reach_anchors_in_the_text():
    parsed = parse(render_html([sample_analysis(), sample_analysis()]))
    ids = [attrs["id"] for _, attrs in parsed.tags if "id" in attrs]
    assert len(ids) == len(set(ids)), "element ids must be unique across documents"
    links = [attrs["href"][1:] for tag, attrs in parsed.tags if tag == "a" and attrs.get("href", "").startswith("#")]
    expected = {"d0-narrative-0-0", "d0-subnarrative-0-0", "d0-explanation-0-0", "d0-claim-0-0", "d1-claim-0-0"}
    assert expected <= set(links)
    assert set(links) <= set(ids)


def test_several_documents_get_a_section_and_a_contents_entry_each():
    page = render_html([sample_analysis(), sample_analysis(title="Second one")])
    parsed = parse(page)
    assert sum(1 for tag, attrs in parsed.tags if tag == "article") == 2
    assert "Second one" in "".join(parsed.text)
    contents = [attrs["href"] for tag, attrs in parsed.tags if tag == "a" and attrs.get("href", "").endswith("top")]
    assert contents == ["#d0-top", "#d1-top"]


def test_html_report_with_no_results_still_shows_document_and_warnings():
    page = render_html([sample_analysis(results=Results())])
    visible = "".join(parse(page).text)
    assert LINES[0] in visible and "unavailable: <no artifact>" in visible
    assert "<mark" not in page and "Narratives" not in visible


def terminal_output(analysis: Analysis) -> str:
    console = Console(width=100, record=True, force_terminal=True, color_system="truecolor")
    print_analysis(analysis, console)
    return console.export_text()


def test_terminal_summary_shows_every_section():
    out = terminal_output(sample_analysis())
    for expected in (
        HOSTILE_TITLE,
        "news.example",
        "A. <b>Writer</b>",
        "en (97%), mixed languages",
        "opinion 80%",
        "Security and defense 70%",
        LINES[0],
        "Name Calling/Labeling",
        "URW: Discrediting Ukraine",
        "Discrediting Ukrainian government",
        "The minister",
        "Antagonist",
        "Corrupt",
        "officials as <em>corrupt</em>",
        "quoted from characters",
        "number",
        "1 piece(s) cut",
        "unavailable: <no artifact>",
    ):
        assert expected in out, expected


def test_terminal_summary_shows_rich_markup_in_articles_literally():
    analysis = sample_analysis(title="[bold red]Breaking[/] news [/oops]", authors=["[link=http://x]Ann[/link]"])
    entity = analysis.results.entities.entities[0]
    entity.name = "[/] The minister"
    out = terminal_output(analysis)
    for literal in ("[bold red]Breaking[/] news [/oops]", "[link=http://x]Ann[/link]", "[/] The minister"):
        assert literal in out


def test_terminal_summary_colours_spans_by_family():
    console = Console(width=100, record=True, force_terminal=True, color_system="truecolor")
    print_analysis(sample_analysis(), console)
    styled = console.export_html(inline_styles=True)
    assert "background-color: #d55e00" in styled  # Attack on reputation: "Traitors"
    assert "background-color: #0072b2" in styled  # Justification: "the nation"


def test_terminal_summary_with_no_results_shows_document_only():
    out = terminal_output(sample_analysis(results=Results()))
    assert "Narratives" not in out and "Check-worthy" not in out and "techniques not analysed" in out
    assert LINES[1] in out
    assert HOSTILE_TITLE in out and "unavailable" in out


@pytest.mark.slow
@pytest.mark.browser
def test_report_in_a_browser_on_a_phone(tmp_path):
    """Hostile markup stays inert, nothing is fetched, and keyboard focus shows a mark's details."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    report = tmp_path / "report.html"
    report.write_text(render_html([sample_analysis()]), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        dialogs, requests = [], []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri())
        for _ in range(5):  # past the source link to the first mark, by keyboard
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.tagName") == "MARK":
                break
        focused = page.evaluate("document.activeElement.textContent")
        tip = page.evaluate("getComputedStyle(document.activeElement, '::before').content")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        page.click("a[href='#d0-claim-0-0']")
        target = page.evaluate("location.hash")
        browser.close()
    assert dialogs == [] and requests == [report.as_uri()]
    assert focused == "Traitors" and "Name Calling/Labeling (90%)" in tip
    assert overflow <= 0, "the page must not scroll sideways on a phone"
    assert target == "#d0-claim-0-0"
