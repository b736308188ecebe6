"""The web app in a real browser (Debian's Chromium via Playwright), served by uvicorn on loopback.

Checks what only a browser shows: the analyse form end to end, highlights with their details on
hover and keyboard focus, hostile article markup staying inert text (no dialog, no request to
anywhere but the app), the URL guard's message, library filters and the trends chart. Screenshots
of the article view, library and trends pages go to test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from narrascope.model import Analysis, Document
from narrascope.store import open_store
from narrascope.web import WebConfig, create_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "web"
ARTIFACTS = ROOT / "test-artifacts"
SAMPLE = ROOT / "samples" / "opinion-column.html"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def fixture_analysis(name: str) -> Analysis:
    return Analysis.from_json((FIXTURES / name).read_text(encoding="utf-8"))


OPINION = fixture_analysis("opinion-analysis.json")
HOSTILE = fixture_analysis("hostile-analysis.json")


def trend_analyses(base: Analysis) -> list[Analysis]:
    """Eight variants of one analysis over four months and two sites, for the library and trends."""
    variants = []
    for index in range(8):
        text = f"{base.document.text}\nVariant {index}."
        document = base.document.model_copy(
            update={
                "id": Document.content_id(text),
                "text": text,
                "title": f"Energy column {index}",
                "site": "north.test" if index % 2 else "south.test",
                "published": f"2024-0{1 + index // 2}-1{index % 2}",
            }
        )
        narratives = base.results.narratives
        kept = narratives.narratives[: 1 + index % 2]
        results = base.results.model_copy(update={"narratives": narratives.model_copy(update={"narratives": kept})})
        variants.append(base.model_copy(update={"document": document, "results": results}))
    return variants


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh SQLite store holding the two fixture analyses and eight variants for trends."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web-browser') / 'store.db'}"
    with open_store(url) as store:
        for analysis in [OPINION, HOSTILE, *trend_analyses(OPINION)]:
            store.save(analysis)
    return url


@pytest.fixture(scope="module")
def server(store_url: str) -> Iterator[str]:
    import uvicorn

    port = free_port()
    app = create_app(WebConfig(store_url=store_url, job_timeout=120.0))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Watched:
    """A page plus everything it tried: dialogs opened and requests sent."""

    def __init__(self, page, base: str) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.base = base
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: self.requests.append(request.url))

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith((self.base + "/", "data:"))]


@pytest.fixture
def watched(browser, server: str) -> Iterator[Watched]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield Watched(page, server)
    context.close()


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


# --- the tests ------------------------------------------------------------------------------


def test_analysing_the_sample_through_the_form_opens_its_article_view(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/")
    screenshot(page, "analyse.png")
    page.set_input_files("#file", str(SAMPLE))
    page.click("button[type=submit]")
    page.wait_for_url(f"{watched.base}/documents/*", timeout=90_000)
    assert page.locator("h1").inner_text().strip()
    article = page.locator(".article")
    assert len(article.inner_text()) > 500
    screenshot(page, "sample-article.png")
    marks = page.locator("mark.hl")
    if marks.count():  # trained technique models are installed: their spans are focusable
        marks.first.focus()
        assert marks.first.get_attribute("title")
    else:  # no models here: the page says which components could not run
        assert "unavailable" in page.locator(".doc-head").inner_text()
    assert watched.dialogs == [] and watched.foreign_requests() == []


def test_highlights_show_technique_confidence_and_definition_on_hover_and_focus(watched: Watched) -> None:
    page = watched.page
    page.goto(f"{watched.base}/documents/{OPINION.document.id}")
    name_calling = page.locator("mark.hl", has_text="self-appointed climate saviours")
    assert "fam-attack-on-reputation" in name_calling.get_attribute("class")
    details = name_calling.get_attribute("title")
    assert "Name Calling/Labeling (91%)" in details and "makes the audience hate or love" in details

    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    name_calling.focus()
    tooltip = page.evaluate("getComputedStyle(document.activeElement, '::before').content")
    assert "Name Calling/Labeling (91%)" in tooltip  # shown beside the mark while it has focus

    overlapping = page.locator("mark.hl", has_text="madness")  # inside a False Dilemma span
    covering = overlapping.get_attribute("title")
    assert "Loaded Language" in covering and "False Dilemma" in covering

    page.click("a[href='#claim-0-0']")
    assert page.evaluate("location.hash") == "#claim-0-0"
    assert page.locator("#claim-0-0").count() == 1
    screenshot(page, "article-view.png")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than a phone
    screenshot(page, "article-view-phone.png")


def test_hostile_article_markup_is_shown_as_text_and_never_runs(watched: Watched) -> None:
    page = watched.page
    page.goto(f"{watched.base}/documents/{HOSTILE.document.id}")
    page.wait_for_load_state("networkidle")
    text = page.locator(".article").inner_text()
    assert "<script>alert('xss')</script>" in text and "<img src=x onerror=alert('img')>" in text
    assert page.locator(".article script, .article img, .article a, main script").count() == 0
    assert "<script>alert('title')</script>" in page.locator("h1").inner_text()
    assert page.locator("a[href^='javascript:']").count() == 0
    page.locator("mark.hl").first.focus()
    page.mouse.move(200, 300)
    assert watched.dialogs == []
    assert watched.foreign_requests() == []


def test_a_url_on_loopback_is_refused_with_a_clear_message(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/")
    page.fill("#url", watched.base + "/healthz")
    page.click("button[type=submit]")
    page.wait_for_selector(".status-failed", timeout=30_000)
    message = page.locator(".notice.error").inner_text()
    assert "127.0.0.1 is a loopback address" in message
    screenshot(page, "job-refused.png")


def test_library_filters_narrow_the_list(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/library")
    assert page.locator("table.library td.title").count() >= 10
    page.fill("#f-site", "north.test")
    page.fill("#f-since", "2024-02-01")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/library?*")
    titles = page.locator("table.library td.title").all_inner_texts()
    assert sorted(titles) == ["Energy column 3", "Energy column 5", "Energy column 7"]
    assert "3 documents match" in page.locator("#result-count").inner_text()
    screenshot(page, "library.png")
    page.fill("#f-text", "no such words anywhere")
    page.click("form.filters button[type=submit]")
    assert "No stored analysis matches" in page.locator(".empty").inner_text()


def test_trends_chart_draws_the_stored_narratives(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/trends?by=narrative&interval=month")
    chart = page.locator("svg.trend-chart").first
    assert chart.locator("polyline").count() >= 1 and chart.locator("circle").count() >= 4
    assert "2024-01" in chart.text_content() and "100%" in chart.text_content()
    legend = page.locator(".chart-legend").first.inner_text()
    assert "CC: Criticism of climate policies" in legend
    screenshot(page, "trends.png")
    page.select_option("#t-group", "site")
    page.click("form.filters button[type=submit]")
    captions = page.locator("figure.chart figcaption").all_inner_texts()
    assert any(c.endswith("north.test") for c in captions) and any(c.endswith("south.test") for c in captions)
