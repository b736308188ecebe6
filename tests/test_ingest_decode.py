"""Bytes to text: what each source's bytes declare is honoured, binary is refused with a reason."""

from __future__ import annotations

import codecs

import pytest

from narrascope.errors import InputError
from narrascope.ingest.decode import decode, format_size, looks_like_feed, looks_like_html, parse_content_type

RUSSIAN = "Правительство объявило о новых мерах поддержки для фермеров региона."
GERMAN = "Die Bürger begrüßten die Entscheidung über die Straße."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + GERMAN.encode(), GERMAN),
        (codecs.BOM_UTF16_LE + GERMAN.encode("utf-16-le"), GERMAN),
        (codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be"), RUSSIAN),
        (codecs.BOM_UTF32_LE + RUSSIAN.encode("utf-32-le"), RUSSIAN),
    ],
)
def test_a_byte_order_mark_decides_and_is_dropped(data, expected):
    assert decode(data, "a.txt") == expected


def test_utf8_is_read_without_any_declaration():
    assert decode(RUSSIAN.encode(), "a.txt") == RUSSIAN


def test_a_declared_charset_is_used():
    assert decode(RUSSIAN.encode("koi8-r"), "page", declared="koi8-r") == RUSSIAN


def test_the_meta_charset_is_read_for_html_only():
    html = f'<html><head><meta charset="windows-1251"></head><body>{RUSSIAN}</body></html>'.encode("cp1251")
    assert RUSSIAN in decode(html, "page.html", html=True)


def test_an_http_equiv_content_type_counts_as_a_meta_charset():
    html = (
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">'
        "<p>Zażółć gęślą jaźń</p>"
    ).encode("iso-8859-2")
    assert "Zażółć gęślą jaźń" in decode(html, "page.html", html=True)


def test_a_declared_charset_that_does_not_fit_falls_back():
    # the header claims UTF-8 but the bytes are windows-1251: detection gets it right anyway
    text = decode((RUSSIAN * 3).encode("cp1251"), "page", declared="utf-8")
    assert text == RUSSIAN * 3


def test_latin_1_labels_read_windows_1252_quotes_like_browsers():
    data = "\u201cQuoted\u201d \u2013 said the minister.".encode("cp1252")
    assert decode(data, "page", declared="ISO-8859-1") == "\u201cQuoted\u201d \u2013 said the minister."


def test_undeclared_legacy_encodings_are_detected():
    assert decode((RUSSIAN + "\n") .encode("cp1251") * 5, "old.txt") == (RUSSIAN + "\n") * 5


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"),
        (b"\x1f\x8b\x08\x00\x00\x00", "gzip-compressed"),
        (b"text with a \x00 NUL byte", "NUL bytes"),
        (bytes(range(1, 32)) * 20, "binary data"),
        (b"", "empty"),
        (b"  \n\t \r\n", "empty"),
    ],
)
def test_binary_or_blank_input_is_refused_naming_the_input(data, reason):
    with pytest.raises(InputError, match=rf"^upload\.bin: .*{reason}"):
        decode(data, "upload.bin")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html; charset=UTF-8", ("text/html", "UTF-8")),
        ('Text/HTML;Charset="windows-1251"', ("text/html", "windows-1251")),
        ("application/xhtml+xml", ("application/xhtml+xml", None)),
        (None, (None, None)),
        ("", (None, None)),
    ],
)
def test_parse_content_type(header, expected):
    assert parse_content_type(header) == expected


@pytest.mark.parametrize(
    ("text", "is_html"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", True),
        ("  <p>A pasted fragment</p><p>with paragraphs</p>", True),
        ("<div class='story'>text</div>", True),
        ("<?xml version='1.0'?>\n<!-- saved page -->\n<html><body>x</body></html>", True),
        ("An article about markup that mentions the <html> and <p> tags.", False),
        ("A plain article.\n\nWith two paragraphs, and a comparison: 3 < 4 > 2.", False),
        ("<<< breaking news >>> the port reopened", False),
    ],
)
def test_looks_like_html(text, is_html):
    assert looks_like_html(text) is is_html


@pytest.mark.parametrize(
    ("data", "is_feed"),
    [
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', True),
        (b'\xef\xbb\xbf<?xml version="1.0"?><!-- c --><feed xmlns="http://www.w3.org/2005/Atom"/>', True),
        (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"/>', True),
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>rss feed</body></html>', False),
        (b"<html><body><a href='feed.rss'>feed</a></body></html>", False),
    ],
)
def test_looks_like_feed(data, is_feed):
    assert looks_like_feed(data) is is_feed


@pytest.mark.parametrize(
    ("size", "text"), [(500, "500 bytes"), (1536, "1.5 KB"), (10 * 1024 * 1024, "10 MB")]
)
def test_format_size(size, text):
    assert format_size(size) == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("text", [GERMAN, RUSSIAN, f"<html><body><p>{GERMAN}</p></body></html>"])
def test_wide_encodings_without_byte_order_mark_are_read_not_refused(text, encoding):
    assert decode(text.encode(encoding), "wide.html", html=True) == text


@pytest.mark.parametrize("padding", [b"", b" "])  # an even length decodes as UTF-16 without error
def test_a_utf16_meta_charset_on_ascii_bytes_is_ignored_as_browsers_do(padding):
    page = b'<html><head><meta charset="utf-16"><title>Plain</title></head><body><p>An ASCII page.</p></body></html>'
    assert decode(page + padding, "page.html", html=True) == (page + padding).decode("ascii")


def test_a_utf16_header_on_utf8_bytes_is_ignored():
    for text in (GERMAN, GERMAN + "!"):
        assert decode(text.encode(), "page", declared="UTF-16") == text


def test_zero_bytes_that_are_not_a_wide_encoding_stay_binary():
    with pytest.raises(InputError, match="binary"):
        decode(bytes(range(256)) * 8, "blob.bin")


def test_a_few_stray_nul_bytes_in_a_long_page_do_not_make_it_binary():
    page = b"<html><body><p>" + b"A long article paragraph. " * 400 + b"\x00" + b"</p></body></html>"
    assert "A long article paragraph." in decode(page, "page.html", html=True)
