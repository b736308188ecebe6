"""A hostile corpus, generated (never committed as binary): every kind of input a scraped folder,
a vendor's dump or an attacker hands over, few of each. `build(folder)` writes it and returns
what it holds: how many inputs (a JSON Lines line, a WARC record and a feed entry are inputs of
their own), and which must end as documents, failures or skipped inputs whatever the extraction
and language work does to the others.

Kinds: a file name that is not UTF-8; JSON Lines with a lone surrogate, 100,000-deep nesting,
ids and duplicate texts; empty, binary, NUL bytes, broken UTF-8, UTF-16 without a byte-order mark,
`<meta charset=utf-16>` on ASCII, Chinese, a bare "Hello"; a 2 MB one-word file, 3.7 MB of short
lines, 2 MB of combining marks, one 200,000-character line, deeply nested HTML; a page gzipped, a
gzip bomb, a truncated WARC; XXE, billion-laughs and plain-text RSS feeds; zip and tar archives;
links to /etc/passwd, to a file inside, to the folder itself, a link loop; a FIFO; an image.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ARTICLE = (
    "Council approves new bus routes after long debate\n\n"
    "The city council voted on Tuesday to add three bus routes to the northern districts.\n"
    "Critics called the plan a reckless waste of money, while residents said it was long overdue.\n"
)
DUPLICATE = "Storm closes the harbour for two days\n\nThe port authority closed the harbour on Friday as winds reached 120 km/h.\n"
SECRET = "root:x:0:0:"  # the first bytes of /etc/passwd: must never reach any output


@dataclass
class Corpus:
    root: Path
    inputs: int = 0  # every input: files, plus each JSONL line, WARC record and feed entry
    analysed: set[str] = field(default_factory=set)  # file names that must become documents
    failed: set[str] = field(default_factory=set)  # ... failures
    skipped: set[str] = field(default_factory=set)  # ... skipped with a reason
    either: set[str] = field(default_factory=set)  # analysed or failed, as the text work decides
    ids: dict[str, str] = field(default_factory=dict)  # JSONL source suffix ":N" -> the line's own id

    def add(self, name: str, data: bytes | str, outcome: str, inputs: int = 1) -> None:
        (self.root / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        self.note(name, outcome, inputs)

    def note(self, name: str, outcome: str, inputs: int = 1) -> None:
        self.inputs += inputs
        getattr(self, outcome).add(name)


def build(root: Path) -> Corpus:
    root.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(root)
    # articles that read well
    corpus.add("good.txt", ARTICLE, "analysed")
    corpus.add("page.html", _page("Budget vote", ARTICLE), "analysed")
    corpus.add("page.html.gz", gzip.compress(_page("Zipped page", ARTICLE.replace("three", "four")).encode()), "analysed")
    with open(os.path.join(os.fsencode(root), b"caf\xe9-latin1-name.txt"), "wb") as out:  # not UTF-8
        out.write(ARTICLE.replace("three", "five").encode())
    corpus.note("caf\\xe9-latin1-name.txt", "analysed")  # as narrascope names it, escaped
    corpus.add("dup-a.txt", DUPLICATE, "analysed")
    corpus.add("dup-b.txt", DUPLICATE, "analysed")  # the same text: one analysis, both sources kept
    # decoding and language traps (the extraction work decides how well they read)
    corpus.add("chinese.txt", "市议会周二投票决定在北部地区增加三条公交线路。批评者称该计划浪费金钱。\n", "either")
    corpus.add("hello.txt", "Hello\n", "either")
    corpus.add("meta-utf16.html", '<html><head><meta charset="utf-16"></head><body><p>Plain ASCII page about the budget vote.</p></body></html>', "either")
    corpus.add("utf16-no-bom.txt", ARTICLE.encode("utf-16-le"), "either")
    corpus.add("broken-utf8.txt", ARTICLE.encode() + b"\xff\xfe\xc3\x28 broken \xe2\x82 tail\n", "either")
    corpus.add("nul-bytes.txt", b"Report\x00\x00 on the\x00 budget\x00\n" * 20, "either")
    # cost traps: each ends in bounded time, analysed or stopped at the budget
    corpus.add("one-word.txt", "a" * 2_000_000, "either")
    corpus.add("short-lines.txt", "ok.\n" * 925_000, "either")  # 3.7 MB
    corpus.add("combining.txt", "a" + "\u0301" * 1_000_000, "either")  # 2 MB of combining marks
    corpus.add("long-line.txt", "H\n\n" + "b" * 200_000, "either")
    corpus.add("deep.html", "<html><body>" + "<div>" * 100_000 + "<p>deep</p>" + "</div>" * 100_000 + "</body></html>", "either")
    # inputs that must fail
    corpus.add("empty.txt", b"", "failed")
    corpus.add("binary.txt", bytes(range(256)) * 64, "failed")
    corpus.add("bomb.txt.gz", _gzip_zeros(200 * 1024 * 1024), "failed")  # 200 KB inflating to 200 MB
    (root / "loop.txt").symlink_to("loop.txt")
    corpus.note("loop.txt", "failed")
    # containers: each line, record and entry is an input
    _jsonl(corpus)
    corpus.add("truncated.warc.gz", _truncated_warc(), "either", inputs=2)  # one page, then the damage
    corpus.add("xxe.xml", _feed('<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"), "either")
    laughs = "".join(f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
    corpus.add("laughs.xml", _feed(f'<!DOCTYPE rss [<!ENTITY l0 "lol">{laughs}]>', "&l9;"), "either")
    corpus.add("plain.rss", _feed("", "The harbour reopened on Sunday after the storm. Ferries run again."), "either")
    # inputs that must be skipped, each with its reason
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inside.txt", ARTICLE)
    corpus.add("pages.zip", buffer.getvalue(), "skipped")
    corpus.add("crawl.tar.gz", gzip.compress(b"not unpacked anyway"), "skipped")
    corpus.add("picture.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "skipped")
    (root / "passwd.txt").symlink_to("/etc/passwd")
    corpus.note("passwd.txt", "skipped")
    (root / "again.txt").symlink_to(root / "good.txt")
    corpus.note("again.txt", "skipped")
    (root / "itself").symlink_to(root)
    corpus.note("itself", "skipped")
    os.mkfifo(root / "pipe.txt")  # opening it would block the batch forever
    corpus.note("pipe.txt", "skipped")
    return corpus


def _jsonl(corpus: Corpus) -> None:
    lines = [
        json.dumps({"id": "lone", "text": "a\ud800b"}),  # written as the escape \ud800: a lone surrogate
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"id": "n1", "text": ARTICLE.replace("three", "six")}),
        json.dumps({"id": "n2", "text": DUPLICATE}),  # the text of dup-a.txt and dup-b.txt
        json.dumps({"id": "n3", "text": DUPLICATE}),
        json.dumps({"id": 4, "title": "Numbers as ids", "text": ARTICLE.replace("three", "seven")}),
    ]
    corpus.add("dump.jsonl", "\n".join(lines) + "\n", "either", inputs=len(lines))
    corpus.ids.update({":3": "n1", ":4": "n2", ":5": "n3", ":6": "4"})


def _page(title: str, text: str) -> str:
    body = "".join(f"<p>{line}</p>" for line in text.splitlines() if line)
    return f"<html><head><title>{title}</title></head><body><article>{body}</article></body></html>"


def _feed(doctype: str, description: str) -> str:
    return (
        f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>Hostile feed</title>'
        f"<item><title>An item</title><description>{description}</description></item></channel></rss>"
    )


def _gzip_zeros(size: int) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as stream:
        chunk = bytes(1024 * 1024)
        for _ in range(size // len(chunk)):
            stream.write(chunk)
    return out.getvalue()


def _truncated_warc() -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for number in (1, 2):
        html = _page(f"Archived story {number}", ARTICLE.replace("three", f"{number + 7}")).encode() * 20
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://news.example/{number}", "response", payload=io.BytesIO(html), http_headers=headers
        )
        writer.write_record(record)
    data = out.getvalue()
    return data[: int(len(data) * 0.8)]  # cut inside the second record
