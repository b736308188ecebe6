"""Inputs a scraped folder or a vendor's dump really holds: names that are not UTF-8, lone
surrogates and absurd nesting in JSON Lines, compressed files and decompression bombs, archives,
symbolic links out of the folder and in loops, FIFOs. Each becomes a document, a failure or a
skipped input with its reason; none stops the reading, none is read from outside the folder."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import zipfile
from pathlib import Path

import pytest

from narrascope.ingest import Failure, RawDocument, Skipped, iter_raw
from narrascope.ingest.names import printable
from narrascope.settings import Settings

OFFLINE = Settings(fetch_feed_entries="never")
ARTICLE = "The council approved the budget on Tuesday.\nCritics called it reckless.\n"


def read(*sources, settings=OFFLINE) -> list[RawDocument | Failure | Skipped]:
    return list(iter_raw([str(source) for source in sources], settings=settings))


def by_name(items) -> dict[str, RawDocument | Failure | Skipped]:
    return {Path(item.source).name: item for item in items}


# --- names ------------------------------------------------------------------------------------


def test_printable_escapes_only_what_cannot_be_stored_or_printed():
    assert printable("plain/päth.txt") == "plain/päth.txt"
    assert printable(os.fsdecode(b"x\xff.txt")) == "x\\xff.txt"  # as `ls -b` shows it
    assert printable("a\ud800b\x00c\td") == "a\\ud800b\\x00c\td"


def test_a_file_name_that_is_not_utf8_is_read_and_named_escaped(tmp_path):
    folder = tmp_path.joinpath("corpus")
    folder.mkdir()
    raw_name = os.path.join(os.fsencode(folder), b"x\xff.txt")
    with open(raw_name, "wb") as out:
        out.write(ARTICLE.encode())
    [document] = read(folder)
    assert document.source == f"{folder}/x\\xff.txt"
    assert document.source.encode("utf-8")  # storable, printable
    assert document.content == ARTICLE


# --- JSON Lines ---------------------------------------------------------------------------------


def test_lone_surrogates_and_deep_nesting_fail_their_line_and_the_next_lines_are_read(tmp_path):
    dump = tmp_path / "dump.jsonl"
    lines = [
        json.dumps({"id": "s1", "text": "a\ud800b"}),  # json.dumps writes the lone surrogate as \ud800
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        json.dumps({"id": 7, "title": "bad \udcff title", "text": ARTICLE}),
        json.dumps({"id": "ok", "text": ARTICLE}),
    ]
    dump.write_text("\n".join(lines) + "\n", encoding="ascii")
    items = read(dump)
    assert [type(item).__name__ for item in items] == ["Failure"] * 4 + ["RawDocument"]
    surrogate, array, deep, title, document = items
    assert surrogate.reason == f"{dump} line 1: 'text' is not valid Unicode (a lone surrogate, U+D800, at character 2)"
    assert surrogate.input_id == "s1"  # a failure joins back to its input too
    assert "line 2: expected a JSON object" in array.reason or "line 2: nested too deeply" in array.reason
    assert deep.reason == f"{dump} line 3: nested too deeply (expected one flat JSON object per line)"
    assert "'title' is not valid Unicode" in title.reason and title.input_id == "7"
    assert (document.source, document.id) == (f"{dump}:5", "ok")


# --- compressed files and archives ---------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz"])
def test_compressed_pages_texts_and_dumps_are_read(tmp_path, suffix):
    compress = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}[suffix]
    (tmp_path / f"page.html{suffix}").write_bytes(compress(f"<html><body><p>{ARTICLE}</p></body></html>".encode()))
    (tmp_path / f"note.txt{suffix}").write_bytes(compress(ARTICLE.encode()))
    (tmp_path / f"dump.jsonl{suffix}").write_bytes(compress((json.dumps({"text": ARTICLE}) + "\n").encode() * 2))
    items = by_name(read(tmp_path))
    assert items[f"page.html{suffix}"].kind == "html" and ARTICLE in items[f"page.html{suffix}"].content
    assert items[f"note.txt{suffix}"].content == ARTICLE
    assert items[f"dump.jsonl{suffix}:2"].content == ARTICLE


def test_a_decompression_bomb_costs_the_input_limit_not_its_size(tmp_path):
    settings = Settings(fetch_feed_entries="never", max_input_bytes=100_000)
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a " * 20_000_000))  # 40 KB -> 40 MB
    (tmp_path / "bomb.jsonl.gz").write_bytes(gzip.compress((json.dumps({"text": "word " * 1000}) + "\n").encode() * 40_000))
    items = by_name(read(tmp_path, settings=settings))
    assert items["bomb.txt.gz"].reason == f"{tmp_path / 'bomb.txt.gz'}: larger than the 97.7 KB input limit once decompressed"
    bomb = [item for item in read(tmp_path / "bomb.jsonl.gz", settings=settings) if isinstance(item, Failure)]
    assert len(bomb) == 1 and "a decompression bomb, not read on" in bomb[0].reason


def test_truncated_compressed_data_is_a_failure(tmp_path):
    data = gzip.compress(ARTICLE.encode() * 200)
    (tmp_path / "cut.txt.gz").write_bytes(data[: len(data) // 2])
    [failure] = read(tmp_path / "cut.txt.gz")
    assert "damaged or truncated compressed data" in failure.reason


def test_archives_in_a_folder_are_skipped_with_the_reason_and_refused_when_named(tmp_path):
    with zipfile.ZipFile(tmp_path / "pages.zip", "w") as archive:
        archive.writestr("a.txt", ARTICLE)
    (tmp_path / "crawl.tar.gz").write_bytes(gzip.compress(b"not really a tar"))
    (tmp_path / "note.txt").write_text(ARTICLE)
    items = by_name(read(tmp_path))
    assert isinstance(items["note.txt"], RawDocument)
    assert items["pages.zip"].reason.endswith("pages.zip: a ZIP archive; archives are not unpacked (unpack it and analyse the folder)")
    assert isinstance(items["crawl.tar.gz"], Skipped) and "a tar archive" in items["crawl.tar.gz"].reason
    [named] = read(tmp_path / "pages.zip")
    assert isinstance(named, Failure) and "a ZIP archive; archives are not unpacked" in named.reason


# --- links and special files ---------------------------------------------------------------------


def test_links_are_never_followed_and_every_one_is_reported(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("a secret outside the corpus")
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "article.txt").write_text(ARTICLE)
    (corpus / "passwd.txt").symlink_to(outside)
    (corpus / "etc").symlink_to("/etc")
    (corpus / "again.txt").symlink_to(corpus / "article.txt")
    (corpus / "sub" / "up").symlink_to(corpus)  # a loop through a folder
    (corpus / "loop-a.txt").symlink_to(corpus / "loop-b.txt")
    (corpus / "loop-b.txt").symlink_to(corpus / "loop-a.txt")
    (corpus / "gone.txt").symlink_to(tmp_path / "missing.txt")
    os.mkfifo(corpus / "pipe.txt")  # opening it would wait forever
    items = by_name(read(corpus))
    assert [name for name, item in items.items() if isinstance(item, RawDocument)] == ["article.txt"]
    assert all("a secret" not in getattr(item, "content", "") for item in items.values())
    reasons = {name: item.reason.removeprefix(f"{item.source}: ") for name, item in items.items() if name != "article.txt"}
    assert reasons["passwd.txt"] == f"symbolic link to {outside}, outside the folder: not followed"
    assert reasons["etc"] == "symbolic link to /etc, outside the folder: not followed"
    assert reasons["again.txt"] == f"symbolic link to the file {corpus / 'article.txt'} in the same folder: read there, not twice"
    assert reasons["up"] == f"symbolic link to the folder {corpus} in the same folder: read there, not twice"
    assert reasons["loop-a.txt"] == reasons["loop-b.txt"] == "symbolic link loop, not followed"
    assert reasons["gone.txt"] == "broken symbolic link (its target is missing)"
    assert reasons["pipe.txt"] == "not a regular file (a device, FIFO or socket), not read"
    assert isinstance(items["gone.txt"], Failure) and isinstance(items["loop-a.txt"], Failure)
    assert isinstance(items["passwd.txt"], Skipped) and isinstance(items["pipe.txt"], Skipped)


def test_a_folder_that_cannot_be_listed_is_a_failure_and_the_rest_is_read(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(ARTICLE)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text(ARTICLE)
    real_scandir = os.scandir

    def scandir(path):  # what a folder without read permission does (root would read it anyway)
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = by_name(read(tmp_path))
    assert isinstance(items["a.txt"], RawDocument) and "b.txt" not in items
    assert items["locked"].reason == f"{locked}: cannot list the folder (Permission denied)"


def test_control_characters_leave_metadata_and_escape_in_identities(tmp_path):
    dump = tmp_path / "dump.jsonl"
    line = {"id": "a\x00b", "url": "https://x.example/\x00", "title": "Ti\x00tle", "authors": ["A\x07B"], "text": ARTICLE}
    dump.write_text(json.dumps(line) + "\n", encoding="utf-8")
    [document] = read(dump)
    assert (document.id, document.url) == ("a\\x00b", "https://x.example/\\x00")  # still told apart
    assert document.metadata == {"title": "Title", "authors": ["AB"]}  # junk in a name: dropped


def test_an_unexpected_error_is_one_line_naming_the_input():
    error = ValueError("first line\n[SQL: INSERT ...]\n[parameters: ...]")
    failure = Failure.from_exception("dump.jsonl:3", error, "id-3")
    assert failure.reason == "dump.jsonl:3: internal error (ValueError: first line)"
    assert (failure.kind, failure.input_id) == ("internal", "id-3")
