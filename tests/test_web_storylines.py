"""The Storylines pages through FastAPI's TestClient (list, chart, one storyline, saving it into a
taxonomy file, downloading it), the custom labels on the article page, and the same pages in
Chromium with sentences and label names that try to inject script."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fixtures.store.storylines import claim_analysis, storyline_analyses, with_custom_label
from fixtures.web.forms import csrf
from narrascope.store import open_store
from narrascope.user_taxonomy import load, parse
from narrascope.web import WebConfig, create_app
from narrascope.web.security import CONTENT_SECURITY_POLICY

TAXONOMY = """\
# the desk's file
format: narrascope-taxonomy/1
name: desk
version: "1.4"
labels:
  - id: existing
    name: Something we track
    description: A narrative we already follow.
"""
HOSTILE_SENTENCES = [  # their own topic, so they make a storyline of their own
    ("<script>alert('sentence')</script> The moon landing was filmed in a studio, <img src=x onerror=alert('img')>.",
     "en", "evil.test", "2024-01-02"),
    ("<script>alert('again')</script> The moon landing was staged in a film studio.", "en", "bad.test", "2024-01-09"),
    ("Nobody landed on the moon, it was a studio set <b onmouseover=alert('b')>really</b>.", "en", "worse.test", "2024-01-16"),
]
HOSTILE_LABEL = "<script>alert('label')</script><img src=x onerror=alert('label-img')>"


def build_store(url: str, hostile: bool = False) -> None:
    analyses = storyline_analyses()
    if hostile:
        analyses += [with_custom_label(claim_analysis(*row, 100 + i), HOSTILE_LABEL) for i, row in enumerate(HOSTILE_SENTENCES)]
    with open_store(url) as store:
        for analysis in analyses:
            store.save(analysis)


def make_app(tmp_path: Path, hostile: bool = False, taxonomy: bool = True):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'store.db'}"
    build_store(url, hostile)
    taxonomies = ()
    if taxonomy:
        path = tmp_path / "desk.yaml"
        path.write_text(TAXONOMY, encoding="utf-8")
        taxonomies = (path,)
    return create_app(WebConfig(store_url=url, components=(), taxonomies=taxonomies, job_timeout=20.0))


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(make_app(tmp_path), base_url="http://127.0.0.1", follow_redirects=False) as running:
        yield running


def storylines_page(client: TestClient, query: str = "") -> str:
    for _ in range(120):  # discovery runs in the background; the page refreshes until it is done
        page = client.get("/storylines" + query)
        assert page.status_code == 200
        if "Discovering storylines" not in page.text:
            return page.text
        time.sleep(0.5)
    raise AssertionError("storylines never finished")


def first_storyline(client: TestClient) -> str:
    page = storylines_page(client)
    return page.split('href="/storylines/', 1)[1].split('"', 1)[0].split("?", 1)[0]


def test_the_list_charts_storylines_over_time_and_links_each_one(client: TestClient) -> None:
    page = storylines_page(client)
    assert "Storylines" in page and "<svg" in page and "Share of documents per week by storylines" in page
    assert "Sanctions" in page or "sanctions" in page
    assert page.count('href="/storylines/') >= 1
    assert client.get("/storylines").headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_one_storyline_shows_its_sentences_and_documents(client: TestClient) -> None:
    storyline = first_storyline(client)
    page = client.get(f"/storylines/{storyline}")
    assert page.status_code == 200
    assert "Most central sentences" in page.text and 'href="/documents/' in page.text
    assert "Save into desk.yaml" in page.text
    assert client.get("/storylines/nope").status_code == 404


def test_saving_a_storyline_adds_a_label_to_the_taxonomy_file(client: TestClient, tmp_path: Path) -> None:
    storyline = first_storyline(client)
    token = csrf(client)
    form = {"csrf_token": token, "label_id": "sanctions-backfire", "name": "Sanctions backfire", "description": ""}
    assert client.post(f"/storylines/{storyline}/save", data={**form, "csrf_token": "wrong"}).status_code == 403
    saved = client.post(f"/storylines/{storyline}/save", data=form)
    assert saved.status_code == 303 and "saved=" in saved.headers["location"]
    taxonomy = load(tmp_path / "desk.yaml")
    assert taxonomy.version == "1.5" and [l.id for l in taxonomy.labels] == ["existing", "sanctions-backfire"]
    added = taxonomy.label("sanctions-backfire")
    assert len(added.examples) >= 3 and "anction" in added.description
    assert (tmp_path / "desk.yaml").read_text(encoding="utf-8").startswith("# the desk's file\n")
    shown = client.get(saved.headers["location"])
    assert "Saved as a label: desk 1.5" in shown.text
    again = client.post(f"/storylines/{storyline}/save", data=form)
    assert again.status_code == 422 and "already exists" in again.text
    bad = client.post(f"/storylines/{storyline}/save", data={**form, "label_id": "no spaces"})
    assert bad.status_code == 422 and "use letters" in bad.text


def test_a_storyline_downloads_as_a_taxonomy_file_without_a_file_to_write(tmp_path: Path) -> None:
    with TestClient(make_app(tmp_path, taxonomy=False), base_url="http://127.0.0.1") as client:
        storyline = first_storyline(client)
        page = client.get(f"/storylines/{storyline}")
        assert "No taxonomy file is open for writing" in page.text
        download = client.get(f"/storylines/{storyline}/taxonomy.yaml")
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    taxonomy = parse(download.text)
    assert len(taxonomy.labels) == 1 and taxonomy.labels[0].examples


def test_the_article_page_shows_custom_labels(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    analysis = with_custom_label(storyline_analyses()[0], "Sanctions backfire")
    with open_store(url) as store:
        store.save(analysis)
    with TestClient(create_app(WebConfig(store_url=url, components=())), base_url="http://127.0.0.1") as client:
        page = client.get(f"/documents/{analysis.document.id}").text
    assert "Your labels: desk" in page and "Sanctions backfire" in page and "by examples" in page
    assert "Something else" not in page  # not present: not listed


# --- in Chromium ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from test_web_browser import free_port

    app = make_app(tmp_path_factory.mktemp("storylines-browser"), hostile=True)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.mark.browser
@pytest.mark.slow
def test_user_text_on_the_storylines_pages_never_runs(hostile_server: str) -> None:
    from test_web_browser import CHROMIUM, CHROMIUM_ARGS, Watched, screenshot

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        watched = Watched(page, hostile_server)
        page.goto(hostile_server + "/storylines")
        for _ in range(60):
            if page.locator("table.storylines").count():
                break
            page.wait_for_timeout(1000)
            page.reload()
        hostile = page.locator("table.storylines a", has_text="alert('")
        assert hostile.count() >= 1, "the storyline made of hostile sentences is listed"
        screenshot(page, "storylines.png")
        hostile.first.click()
        page.wait_for_load_state("networkidle")
        text = page.locator("main").inner_text()
        assert "<script>alert(" in text and "onerror=alert('img')" in text
        assert HOSTILE_LABEL in text  # the custom label's name, shown as text
        assert page.locator("main script, main img, main b").count() == 0
        page.locator("details summary").first.click()
        page.mouse.move(300, 400)
        page.mouse.move(600, 700)
        screenshot(page, "storyline.png")
        page.fill("#label-name", "<script>alert('typed')</script>")
        page.fill("#label-id", "typed-label")
        page.click("form.save-storyline button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "Saved as a label" in page.locator("main").inner_text()
        assert watched.dialogs == [] and watched.foreign_requests() == []
        browser.close()
