"""Reading sources: files, folders, stdin, pasted text, JSON Lines, feeds, web archives and URLs.

Each test reads real bytes (fixtures under tests/fixtures/ingest, or files written to tmp_path)
and checks what a user would see: the documents, their kinds and metadata, and failures that
name the input and do not stop the rest.
"""

from __future__ import annotations

import io
import shutil
import socket
import sys
import uuid
from pathlib import Path, PurePosixPath

import pytest
from ingest_server import LOCAL, PAGE, local_server
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from narrascope.errors import InputError
from narrascope.ingest import INPUT_FORMATS, Failure, RawDocument, Skipped, iter_raw
from narrascope.ingest.sources import format_of, is_url
from narrascope.ingest.warc import iter_warc
from narrascope.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
OFFLINE = Settings(fetch_feed_entries="never")


def read(*sources, settings=OFFLINE, **options) -> list[RawDocument | Failure]:
    return list(iter_raw([str(source) for source in sources], settings=settings, **options))


def documents(items) -> list[RawDocument]:
    return [item for item in items if isinstance(item, RawDocument)]


def failures(items) -> list[Failure]:
    return [item for item in items if isinstance(item, Failure)]


def skipped(items) -> list[Skipped]:
    return [item for item in items if isinstance(item, Skipped)]


@pytest.fixture(scope="module")
def server():
    with local_server() as running:
        yield running


@pytest.fixture
def stdin(monkeypatch):
    def feed(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))

    return feed


# --- files ----------------------------------------------------------------------------------


def test_html_and_text_files_by_extension():
    page, note = read(FIXTURES / "article.html", FIXTURES / "article.txt")
    assert (page.kind, page.source) == ("html", str(FIXTURES / "article.html"))
    assert "the season’s losses" in page.content  # UTF-8 read as such
    assert note.kind == "text"
    assert note.content.startswith("Council approves new bus routes")


@pytest.mark.parametrize(
    ("content", "kind"),
    [(b"<html><body><p>Saved page</p></body></html>", "html"), (b"Just an article.\nTwo lines.", "text")],
)
def test_files_without_a_known_extension_are_sniffed(tmp_path, content, kind):
    path = tmp_path / "download"
    path.write_bytes(content)
    [document] = read(path)
    assert document.kind == kind


def test_a_named_format_overrides_the_extension(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("<p>markup saved with the wrong extension</p>")
    assert read(path)[0].kind == "text"
    assert read(path, input_format="html")[0].kind == "html"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n\t  \n", "empty"),
        (b"\x00\x01\x02\x03 binary \x00 junk", "binary data"),
        (b"%PDF-1.4\n1 0 obj", "a PDF document"),
    ],
)
def test_unreadable_files_fail_by_name_and_the_next_source_is_read(tmp_path, content, reason):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    failure, document = read(bad, FIXTURES / "article.txt")
    assert failure == Failure(str(bad), failure.reason)
    assert failure.reason.startswith(f"{bad}: ") and reason in failure.reason
    assert document.kind == "text"


def test_an_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.html"
    path.write_bytes(b"<p>" + b"word " * 1000 + b"</p>")
    [failure] = read(path, settings=Settings(max_input_bytes=1024))
    assert failure.reason == f"{path}: larger than the 1 KB input limit"


def test_missing_paths_fail_by_name():
    [missing, web] = read("no/such/article.html", "example.com/news/1")
    assert missing.reason == "no/such/article.html: no such file or directory"
    assert "give the whole URL with https://" in web.reason


def test_an_unknown_input_format_is_the_callers_mistake():
    with pytest.raises(InputError, match="unknown input format 'pdf'; choose from text, html, url"):
        read(FIXTURES / "article.txt", input_format="pdf")
    assert "pdf" not in INPUT_FORMATS


def test_one_string_is_one_source_not_characters():
    assert len(list(iter_raw(str(FIXTURES / "article.txt"), settings=OFFLINE))) == 1


# --- folders --------------------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpus", root)
    (root / ".hidden.txt").write_text("a hidden file")
    (root / ".git").mkdir()
    (root / ".git" / "notes.txt").write_text("inside a hidden folder")
    return root


def test_a_folder_is_read_recursively_in_name_order_by_extension(corpus):
    items = read(corpus)
    assert [Path(item.source).relative_to(corpus).as_posix() for item in documents(items)] == [
        "a-note.txt",
        "b-page.html",
        "sub/c-notes.md",
        "sub/more.jsonl:1",
    ]
    assert [item.kind for item in documents(items)] == ["text", "html", "text", "text"]
    assert items == read(corpus, input_format="dir")
    # picture.png, hidden files and hidden folders are not articles: said so, not read
    assert {Path(item.source).name: item.reason.removeprefix(f"{item.source}: ") for item in skipped(items)} == {
        ".git": "hidden folder, not read",
        ".hidden.txt": "hidden file, not read",
        "picture.png": "not a file type narrascope reads (.png)",
    }


def test_a_named_format_picks_those_files_from_a_folder(corpus):
    items = read(corpus, input_format="html")
    assert [Path(item.source).name for item in documents(items)] == ["b-page.html"]
    assert f"{corpus / 'a-note.txt'}: not html (the input format asked for)" in {item.reason for item in skipped(items)}


def test_a_folder_with_nothing_to_read_is_a_failure(tmp_path):
    (tmp_path / "image.jpg").write_bytes(b"\xff\xd8\xff")
    [image, failure] = read(tmp_path)
    assert image == Skipped(str(tmp_path / "image.jpg"), f"{tmp_path / 'image.jpg'}: not a file type narrascope reads (.jpg)")
    assert failure.reason.startswith(f"{tmp_path}: no files to read in the directory")


def test_a_failing_file_in_a_folder_does_not_stop_the_folder(corpus):
    (corpus / "a-broken.txt").write_bytes(b"")
    items = [item for item in read(corpus) if not isinstance(item, Skipped)]
    assert items[0] == Failure(str(corpus / "a-broken.txt"), f"{corpus / 'a-broken.txt'}: empty (no text)")
    assert len(documents(items)) == 4


def test_dir_format_on_a_file_fails():
    [failure] = read(FIXTURES / "article.txt", input_format="dir")
    assert failure.reason.endswith("not a directory")


# --- standard input and pasted text ---------------------------------------------------------


def test_stdin_is_read_and_sniffed(stdin):
    stdin(b"<html><body><p>Piped page</p></body></html>")
    [document] = read("-")
    assert (document.source, document.kind) == ("<stdin>", "html")


def test_stdin_can_carry_json_lines(stdin):
    stdin(b'{"text": "first"}\n{"text": "second"}\n')
    assert [d.content for d in read("-", input_format="jsonl")] == ["first", "second"]


def test_pasted_text_is_the_article_itself():
    text = "Officials said on Monday that the bridge would reopen.\nTraffic is expected to return."
    [document] = read(text, literal_text=True)
    assert document == RawDocument(source="<text>", content=text, kind="text")
    [markup] = read("<p>Pasted <b>markup</b></p>", literal_text=True)
    assert markup.kind == "html"


@pytest.mark.parametrize("mistyped", ["article.html", "data/articles/2024.txt", "reports\\march.md"])
def test_a_mistyped_path_is_not_taken_for_article_text(mistyped):
    [failure] = read(mistyped, literal_text=True)
    assert failure.reason == f"{mistyped}: no such file or directory"


def test_blank_pasted_text_fails():
    [failure] = read("  \n ", literal_text=True)
    assert failure.reason == "<text>: empty (no text)"


def test_without_literal_text_a_sentence_is_a_missing_file():
    [failure] = read("The minister resigned on Friday.")
    assert failure.reason == "The minister resigned on Friday.: no such file or directory"


def test_pasted_text_over_the_limit_is_refused():
    [failure] = read("word " * 300, literal_text=True, settings=Settings(max_input_bytes=1000))
    assert failure.reason == "<text>: larger than the 1000 bytes input limit"


# --- JSON Lines -----------------------------------------------------------------------------


def test_json_lines_with_metadata_and_a_broken_line():
    path = FIXTURES / "articles.jsonl"
    items = read(path)
    first, second, broken, no_body, not_object, last = items
    assert first == RawDocument(
        source=f"{path}:1",
        content="The old bridge closed on Friday for inspection.",
        kind="text",
        url="https://news.example/a1",
        id="a1",
        metadata={"title": "Bridge closes", "published": "2024-03-01", "authors": ["Ana Ruiz"], "site": "News Example"},
    )
    assert (second.kind, second.id) == ("html", "2")
    assert broken.source == f"{path}:3"
    assert broken.reason.startswith(f"{path} line 3: not valid JSON")
    assert no_body.reason == f"{path} line 4: no article: 'text' and 'html' are missing or empty"
    assert not_object.reason == f"{path} line 5: expected a JSON object, got list"
    assert (last.source, last.metadata) == (f"{path}:7", {"authors": ["Li Wei"]})  # line 6 is blank


def test_a_json_line_over_the_limit_is_skipped_and_reading_goes_on(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text('{"text": "' + "x" * 2000 + '"}\n{"text": "short one"}\n')
    long_line, short = read(path, settings=Settings(max_input_bytes=1000))
    assert long_line.reason == f"{path} line 1: larger than the 1000 bytes input limit"
    assert short.content == "short one"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"text": 42}', "'text' must be a string, not int"),
        ('{"text": "ok", "authors": [1, 2]}', "'authors' must be a list of strings"),
        (b'{"text": "\xff\xfe broken"}', "not UTF-8"),
    ],
)
def test_json_lines_with_wrong_types_name_the_field(tmp_path, line, reason):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(line if isinstance(line, bytes) else line.encode())
    [failure] = read(path)
    assert failure.reason == f"{path} line 1: {reason}"


def test_a_json_array_is_explained(tmp_path):
    path = tmp_path / "export.json"
    path.write_text('[\n  {"text": "a"},\n  {"text": "b"}\n]\n')
    [failure] = read(path)
    assert failure.reason == f"{path}: a JSON array; narrascope reads JSON Lines (one object per line)"


# --- feeds ----------------------------------------------------------------------------------


def test_rss_entries_use_their_full_content_when_not_fetching():
    path = FIXTURES / "feed.rss"
    rain, library, empty = read(path)
    assert rain.content == "Forecasters expect rain all week across the region.\nFarmers welcomed it."
    assert (rain.source, rain.url, rain.kind) == (f"{path}#1", "https://daily.example/rain", "text")
    assert rain.metadata == {
        "title": "Rain expected all week",
        "published": "2024-03-05T07:30:00+00:00",
        "authors": ["Mia Berg"],
        "site": "Example Daily",
    }
    assert library.content == "The central library will open until 22:00 from April."
    assert empty.reason == f"{path}#3: the feed entry has no content and no link"


def test_atom_entries_carry_author_and_date():
    [entry] = read(FIXTURES / "feed.atom")
    assert entry.url == "https://atom.example/museum"
    assert entry.metadata["authors"] == ["Jon Doe"]
    assert entry.metadata["published"] == "2024-04-02T10:00:00+00:00"
    assert "new wing" in entry.content


def test_a_feed_without_entries_or_that_is_not_a_feed_fails(tmp_path):
    empty = tmp_path / "empty.rss"
    empty.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>')
    broken = tmp_path / "broken.xml"
    broken.write_text("this is not XML at all")
    first, second = read(empty, broken)
    assert first.reason == f"{empty}: the feed has no entries"
    assert second.reason.startswith(f"{broken}: not a readable RSS/Atom feed")


def test_a_feed_url_has_each_entry_fetched(server):
    items = read(f"{server.base_url}/feed.xml", settings=LOCAL)
    first, second, gone = items
    assert (first.source, first.url, first.content) == (f"{server.base_url}/page", f"{server.base_url}/page", PAGE.decode())
    assert first.metadata == {"title": "First", "published": "2024-03-05T08:30:00+00:00", "site": "Loopback News"}
    assert second.source == f"{server.base_url}/redirect"  # a relative link, resolved against the feed
    assert second.url == f"{server.base_url}/page"
    assert gone.reason == f"{server.base_url}/missing: HTTP 404 Not Found; the feed holds only 2 words of it"


def test_feed_entries_are_fetched_through_the_address_guard(monkeypatch):
    # feed.rss links to daily.example; a fake resolver answers 10.0.0.7, so every fetch is refused
    def private(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(socket, "getaddrinfo", private)
    items = read(FIXTURES / "feed.rss", settings=Settings(fetch_feed_entries="always"))
    assert [type(item).__name__ for item in items] == ["Failure", "Failure", "Failure"]
    assert items[0].reason == (
        "https://daily.example/rain: refused: 10.0.0.7 (daily.example) is a private address; "
        "the feed holds only 11 words of it"
    )


# --- URLs -----------------------------------------------------------------------------------


def test_a_url_becomes_a_document_with_its_final_address(server):
    page, text = read(f"{server.base_url}/redirect", f"{server.base_url}/text", settings=LOCAL)
    assert (page.source, page.url, page.kind) == (f"{server.base_url}/redirect", f"{server.base_url}/page", "html")
    assert (text.kind, text.content) == ("text", "Plain text article.\n")


def test_url_failures_name_the_url_and_reading_goes_on(server):
    items = read(
        f"{server.base_url}/missing",
        f"{server.base_url}/image",
        "ftp://files.example/a.txt",
        f"{server.base_url}/page",
        settings=LOCAL,
    )
    assert [item.reason for item in failures(items)] == [
        f"{server.base_url}/missing: HTTP 404 Not Found",
        f"{server.base_url}/image: unsupported content type image/png (not HTML, text or a feed)",
        "ftp://files.example/a.txt: unsupported URL scheme (ftp:); only http and https can be fetched",
    ]
    assert len(documents(items)) == 1


def test_xml_that_is_not_a_feed_is_not_taken_for_an_article(server):
    [failure] = read(f"{server.base_url}/sitemap.xml", settings=LOCAL)
    assert failure.reason.startswith(f"{server.base_url}/sitemap.xml: not a readable RSS/Atom feed")


def test_loopback_urls_are_refused_by_default(server):
    [failure] = read(f"{server.base_url}/page", settings=Settings())
    assert failure.reason == f"{server.base_url}/page: refused: 127.0.0.1 is a loopback address"


def test_url_format_needs_a_url():
    [failure] = read(FIXTURES / "article.txt", input_format="url")
    assert failure.reason.endswith("article.txt: not an http(s) URL")


# --- web archives ---------------------------------------------------------------------------


def _write_warc(path: Path, gzip: bool = True) -> None:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)

        def fixed(uri: str) -> dict[str, str]:
            """Fixed date and id, so the archive's bytes (and where a test cuts them) never vary."""
            return {"WARC-Date": "2024-11-02T10:00:00Z", "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, uri)}>"}

        def response(uri: str, status: str, content_type: str, body: bytes) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict=fixed(uri + status)
            )
            writer.write_record(record)

        response("https://ru.example/1", "200 OK", "text/html; charset=windows-1251",
                 "<html><body><p>Новости дня</p></body></html>".encode("cp1251"))
        response("https://ru.example/gone", "404 Not Found", "text/html", b"<p>not found</p>")
        response("https://ru.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n")
        request = io.BytesIO(b"GET /2 HTTP/1.1\r\n\r\n")
        writer.write_record(
            writer.create_warc_record("https://ru.example/2", "request", payload=request, warc_headers_dict=fixed("request"))
        )
        xhtml = b"<html><body><p>Second</p></body></html>"
        response("https://ru.example/2", "200 OK", "application/xhtml+xml", xhtml)


@pytest.mark.parametrize(("name", "gzip"), [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_a_warc_yields_its_html_responses(tmp_path, name, gzip):
    path = tmp_path / name
    _write_warc(path, gzip)
    first, second = read(path)
    assert (first.source, first.url, first.kind) == (f"{path}#https://ru.example/1", "https://ru.example/1", "html")
    assert "Новости дня" in first.content  # the record's HTTP charset was honoured
    assert second.url == "https://ru.example/2"


def test_a_warc_can_be_read_from_memory(tmp_path):
    # the web app and the Spark job hand archives over as bytes
    path = tmp_path / "crawl.warc.gz"
    _write_warc(path)
    items = list(iter_warc(io.BytesIO(path.read_bytes()), "upload.warc.gz", Settings()))
    assert [item.source for item in items] == ["upload.warc.gz#https://ru.example/1", "upload.warc.gz#https://ru.example/2"]


# Cuts inside an HTML record. Known gap (see the closing note of the first session): a cut inside
# a skipped non-HTML record, or in the last bytes of a gzip member, is not always reported.
@pytest.mark.parametrize(
    ("name", "gzip", "kept"),
    [("crawl.warc.gz", True, 0.45), ("crawl.warc.gz", True, 0.7), ("crawl.warc.gz", True, 0.95),
     ("crawl.warc", False, 0.5), ("crawl.warc", False, 0.7), ("crawl.warc", False, 0.95)],
)
def test_a_truncated_warc_keeps_what_came_before_and_says_so(tmp_path, name, gzip, kept):
    path = tmp_path / name
    _write_warc(path, gzip)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * kept)])  # the archive's bytes are fixed: so is the cut
    items = read(path)
    assert documents(items)[0].url == "https://ru.example/1"
    assert items[-1].reason == f"{path}: damaged or truncated archive, stopped reading"


def test_a_file_named_warc_that_is_not_one_fails(tmp_path):
    path = tmp_path / "fake.warc"
    path.write_text("hello, this is not an archive\n" * 5)
    [failure] = read(path)
    assert failure.reason == f"{path}: not a WARC or ARC archive"


def test_an_oversized_warc_record_is_skipped(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    _write_warc(path)
    items = read(path, settings=Settings(max_input_bytes=42))
    assert [item.source for item in items] == [f"{path}#https://ru.example/1", f"{path}#https://ru.example/2"]
    assert items[0].reason == f"{path}#https://ru.example/1: larger than the 42 bytes input limit"
    assert items[1].content == "<html><body><p>Second</p></body></html>"


def test_an_arc_file_is_read(tmp_path):
    body = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>Archived in 2001</p></body></html>"
    version = b"1 0 Example\nURL IP-address Archive-date Content-type Archive-length\n"
    arc = b"filedesc://old.arc 0.0.0.0 20010101000000 text/plain %d\n%s\n" % (len(version), version)
    arc += b"http://old.example/ 192.0.2.1 20010101000000 text/html %d\n%s\n" % (len(body), body)
    path = tmp_path / "old.arc"
    path.write_bytes(arc)
    [document] = read(path)
    assert (document.url, document.kind) == ("http://old.example/", "html")
    assert "Archived in 2001" in document.content


def test_warc_format_names_the_format_for_any_extension(tmp_path):
    path = tmp_path / "crawl.bin"
    _write_warc(path)
    assert len(read(path, input_format="warc")) == 2
    assert read(path)[0].reason.endswith("gzip-compressed, not text")


def test_settings_are_optional():
    assert documents(iter_raw([str(FIXTURES / "article.txt")]))[0].kind == "text"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("https://news.example/a?b=1", True),
        ("  http://news.example/  ", True),
        ("ftp://files.example/a.txt", True),
        ("javascript:alert(1)", True),
        ("data:text/html,<p>x</p>", True),
        ("C:\\articles\\a.txt", False),
        ("news.example/a", False),
        ("Note: the minister resigned.", False),
        ("http://news.example/a b", False),
    ],
)
def test_is_url(source, expected):
    assert is_url(source) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.HTML", "html"),
        ("crawl.warc.gz", "warc"),
        ("old.arc.gz", "warc"),
        ("dump.jsonl", "jsonl"),
        ("news.atom", "feed"),
        ("notes.md", "text"),
        ("photo.jpg", None),
        ("archive.tar.gz", None),
    ],
)
def test_format_of(name, expected):
    assert format_of(PurePosixPath(name)) == expected
