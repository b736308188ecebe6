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
from dataclasses import replace
from pathlib import Path

import pytest

from narrascope.model import Analysis, Document
from narrascope.settings import Settings
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


# --- everyday use: label names, the article page's controls, the pending page, the icon --------


def test_the_library_label_box_takes_names_as_shown_and_names_the_closest(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/library")
    suggestions = page.eval_on_selector_all("#label-choices option", "options => options.map(o => o.value)")
    assert "Loaded Language" in suggestions and "Loaded_Language" not in suggestions
    page.fill("#f-label", "loaded language")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/library?*")
    assert page.locator("table.library td.title").count() >= 2  # the opinion column and its variants
    response = page.goto(watched.base + "/library?label=Lodaed+Langauge")
    assert response is not None and response.status == 422
    error = page.locator("#filter-error").inner_text()
    assert "unknown label 'Lodaed Langauge'; closest: 'Loaded Language'" in error
    assert page.locator("#f-label").input_value() == "Lodaed Langauge"  # kept, to be corrected


def tint(page, selector: str) -> float:  # type: ignore[no-untyped-def]
    """The alpha of the first matching highlight's background."""
    colour = page.eval_on_selector(selector, "mark => getComputedStyle(mark).backgroundColor")
    parts = colour.replace("rgba(", "").replace("rgb(", "").rstrip(")").split(",")
    return float(parts[3]) if len(parts) == 4 else 1.0


def test_highlights_are_graded_by_confidence_and_can_be_filtered(watched: Watched) -> None:
    page = watched.page
    csp_errors: list[str] = []
    page.on("console", lambda message: csp_errors.append(message.text) if "Content Security" in message.text else None)
    page.goto(f"{watched.base}/documents/{OPINION.document.id}")
    strong = "mark.hl[data-techniques*='Name_Calling-Labeling 0.91']"  # 91 %
    weak = "mark.hl.conf-3"  # a technique between 50 and 75 %
    assert tint(page, strong) > tint(page, weak) > 0
    controls = page.locator("#highlight-controls")
    assert controls.is_visible()  # the script ran under the strict CSP
    total = page.locator("mark[data-techniques]").count()
    assert page.locator("#highlight-count").inner_text() == f"Showing {total} of {total} highlighted passages."

    page.locator("input.technique-toggle[value='Name_Calling-Labeling']").uncheck()
    name_calling = page.locator("mark.hl", has_text="self-appointed climate saviours")
    assert "hl-off" in name_calling.get_attribute("class")
    assert tint(page, "mark.hl.hl-off") == 0.0
    page.locator("input.technique-toggle[value='Name_Calling-Labeling']").check()
    assert "hl-off" not in name_calling.get_attribute("class")

    page.fill("#min-confidence", "80")  # a floor of 80 %: only the strongest stay tinted
    assert page.locator("#min-confidence-value").inner_text() == "80%"
    shown = page.locator("mark[data-techniques]:not(.hl-off)").count()
    assert 0 < shown < total
    assert page.locator("#highlight-count").inner_text() == f"Showing {shown} of {total} highlighted passages."
    assert "hl-off" not in name_calling.get_attribute("class")  # 91 % clears the floor
    screenshot(page, "article-filtered.png")
    assert csp_errors == [] and watched.foreign_requests() == []


def test_the_article_links_its_original_and_the_app_has_an_icon(watched: Watched) -> None:
    page = watched.page
    page.goto(f"{watched.base}/documents/{OPINION.document.id}")
    original = page.locator("p.original a")
    assert original.get_attribute("href") == OPINION.document.url
    assert original.inner_text() == "Read the original on example-news.test ↗"
    icon = page.request.get(watched.base + "/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert page.locator("link[rel=icon]").count() == 2
    page.goto(f"{watched.base}/documents/{HOSTILE.document.id}")
    assert page.locator("p.original").count() == 0  # a javascript: URL is never a link


@pytest.fixture
def slow_server(monkeypatch: pytest.MonkeyPatch, store_url: str) -> Iterator[tuple[str, threading.Event]]:
    """A server whose analyses wait until the test lets them go on."""
    import uvicorn

    import narrascope.worker as worker

    release = threading.Event()
    real = worker.analyze_document

    def held(document, components, custom=()):  # type: ignore[no-untyped-def]
        release.wait(60)
        return real(document, (), custom)

    monkeypatch.setattr(worker, "analyze_document", held)
    port = free_port()
    in_process = replace(Settings.from_env(), document_timeout=0)  # analysed in this process, where `held` is
    app = create_app(WebConfig(store_url=store_url, job_timeout=120.0, components=(), settings=in_process))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", release
    release.set()
    server.should_exit = True
    thread.join(timeout=10)


def test_the_pending_page_reads_well_and_counts_the_time(browser, slow_server) -> None:  # type: ignore[no-untyped-def]
    base, release = slow_server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + "/")
    page.fill("#text", "Skip to content\nMenu\nThe council approved the budget on Tuesday after a long debate.")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/jobs/*")
    assert page.locator("h1").inner_text() == "Analysing…"
    assert page.title() == "Analysing… · narrascope"
    assert page.locator(".subject-line").inner_text().startswith("Skip to content Menu The council")
    deadline = time.monotonic() + 30  # the CSP forbids wait_for_function's eval: poll from here
    while int(page.locator("[data-field=elapsed]").inner_text().split(" ")[0]) < 2:
        assert time.monotonic() < deadline, "the elapsed time does not move"
        time.sleep(0.2)
    assert page.locator("[data-field=elapsed]").inner_text().endswith(" s")
    screenshot(page, "job-pending.png")
    release.set()
    page.wait_for_url(f"{base}/documents/*", timeout=60_000)
    context.close()
