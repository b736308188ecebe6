"""Feeds that just work: entries carrying the article are analysed from the feed (offline too),
plain-text descriptions included; only teasers have their page fetched; the feed's date is the
document's date; `--fetch-feed-entries` switches, through the CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_server import local_server

from narrascope.cli import main
from narrascope.ingest.fetch import Fetcher

NO_MODELS = ["--components", "none", "--no-store"]
BODY = (
    "The regional council voted on Thursday to close two of the four hospitals in the valley, a decision its "
    "members called painful but unavoidable after years of falling budgets. Doctors warned that patients in the "
    "northern villages would now travel more than an hour for emergency care, and nurses' unions announced a "
    "protest for next week. The council's president said the savings would fund a new clinic network, "
    "though no date was given for its opening. Residents gathered outside the town hall until late evening, "
    "and several mayors said they would challenge the vote in court. Published 1997-01-01 in the archive."
)


def feed(*items: str, title: str = "Valley News") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{title}</title><link>https://valley.example/</link><description>d</description>"
        + "".join(items)
        + "</channel></rss>"
    )


def item(title: str, link: str, *, description: str = "", content: str = "", date: str = "") -> str:
    parts = [f"<title>{title}</title>", f"<link>{link}</link>"]
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    if description:
        parts.append(f"<description><![CDATA[{description}]]></description>")
    if content:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    return "<item>" + "".join(parts) + "</item>"


@pytest.fixture
def fetches(monkeypatch) -> list[str]:
    """Every URL a feed entry would have fetched (the network is never reached)."""
    asked: list[str] = []
    real = Fetcher.fetch

    def recorded(self, url):  # type: ignore[no-untyped-def]
        asked.append(url)
        return real(self, url)

    monkeypatch.setattr(Fetcher, "fetch", recorded)
    return asked


def analyse(capsys, path: Path, *options: str) -> tuple[int, list[dict], str]:
    code = main(["analyze", str(path), "--jsonl", "-", *NO_MODELS, *options])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_full_text_entries_are_analysed_from_the_feed_without_fetching(tmp_path, capsys, fetches) -> None:
    path = tmp_path / "feed.xml"
    paragraphs = "".join(f"<p>{sentence}.</p>" for sentence in BODY.split(". "))
    path.write_text(
        feed(
            item("Hospitals close", "https://valley.example/hospitals", description="Two hospitals will close.",
                 content=paragraphs, date="Sat, 10 Feb 2024 10:00:00 GMT"),
            item("Plain text", "https://valley.example/plain", description=BODY, date="Sun, 11 Feb 2024 09:00:00 GMT"),
        )
    )
    code, documents, err = analyse(capsys, path)
    assert code == 0, err
    assert fetches == []  # offline is fine: the feed holds the articles
    first, second = (d["document"] for d in documents)
    assert first["text"].startswith("Hospitals close\n\nThe regional council voted on Thursday")  # title, body
    assert first["text"].count("\n") > 4  # the content's paragraphs stay paragraphs
    assert second["text"] == f"Plain text\n\n{BODY}"  # a plain-text description is an article too
    assert (first["published"], second["published"]) == ("2024-02-10T10:00:00+00:00", "2024-02-11T09:00:00+00:00")
    assert first["title"] == "Hospitals close" and first["site"] == "Valley News"


def test_the_feed_date_wins_over_a_date_in_the_page(tmp_path, capsys) -> None:
    with local_server() as server:
        page = (
            "<html><head><title>Hospitals close</title>"
            '<meta property="article:published_time" content="1997-01-01T00:00:00Z"></head>'
            f"<body><article><h1>Hospitals close</h1><p>{BODY}</p></article></body></html>"
        ).encode()
        from ingest_server import Reply

        server.routes["/hospitals"] = lambda base: Reply(body=page)
        path = tmp_path / "feed.xml"
        path.write_text(feed(item("Hospitals close", f"{server.base_url}/hospitals", description="Two close…",
                                  date="Sat, 10 Feb 2024 10:00:00 GMT")))
        code, documents, err = analyse(capsys, path, "--allow-private-urls")
    assert code == 0, err
    assert server.requests == ["/hospitals"]  # a teaser: its page is fetched
    document = documents[0]["document"]
    assert document["source"] == f"{server.base_url}/hospitals" and "regional council" in document["text"]
    assert document["published"] == "2024-02-10T10:00:00+00:00"


def test_a_teaser_that_cannot_be_fetched_says_so(tmp_path, capsys) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(feed(item("Short", "http://127.0.0.1:9/short", description="Only a teaser of the story.")))
    code, documents, err = analyse(capsys, path)
    assert code == 1 and documents == []
    assert "refused: 127.0.0.1 is a loopback address; the feed holds only 6 words of it" in err


def test_the_switch_is_a_flag_and_the_old_variable_still_works(tmp_path, capsys, monkeypatch, fetches) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(feed(item("Short", "https://valley.example/short", description="Only a teaser of the story.")))
    code, documents, _ = analyse(capsys, path, "--fetch-feed-entries", "never")
    assert code == 0 and documents[0]["document"]["text"] == "Short\n\nOnly a teaser of the story." and fetches == []
    monkeypatch.setenv("NARRASCOPE_FETCH_FEED_ENTRIES", "0")
    code, documents, _ = analyse(capsys, path)
    assert code == 0 and fetches == []
    long_entry = feed(item("Long", "https://valley.example/long", description=BODY))
    path.write_text(long_entry)
    monkeypatch.delenv("NARRASCOPE_FETCH_FEED_ENTRIES")
    code, _, err = analyse(capsys, path, "--fetch-feed-entries", "always")
    assert code == 1 and fetches == ["https://valley.example/long"]  # fetched although the feed holds it
    with pytest.raises(SystemExit):
        main(["analyze", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--fetch-feed-entries {auto,always,never}" in help_text and "'auto' (default)" in help_text
