"""`narrascope` on the command line: every command's help, and `analyze` end to end on fixture
files with no models (`--components none`), including every kind of bad input."""

from __future__ import annotations

import argparse
import functools
import html
import io
import json
import subprocess
import sys
import threading
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from narrascope import __version__
from narrascope.cli import build_parser, main
from narrascope.components import DEFAULT_COMPONENTS

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "opinion-column.html"
NO_MODELS = ["--components", "none"]


def narrascope(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def analyze(capsys, *argv: str) -> tuple[int, str, str]:
    return narrascope(capsys, "analyze", *argv, *NO_MODELS)


@pytest.fixture(scope="module")
def site():
    """The fixture folder served over HTTP on loopback; unknown paths answer 404."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(FIXTURES)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# --- the command line itself ---------------------------------------------------------------------


def subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices)


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"narrascope {__version__}"


@pytest.mark.parametrize("command", subcommands())
def test_every_command_has_help(capsys, command):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert f"usage: narrascope {command}" in capsys.readouterr().out


def test_analyze_is_registered():
    assert "analyze" in subcommands()


# --- analyze: outputs ------------------------------------------------------------------------


def test_one_text_file_prints_a_summary(capsys):
    code, out, err = analyze(capsys, FIXTURES / "article.txt")
    assert code == 0, err
    assert "Corrupt Officials Sold Out Our Town" in out
    assert "40 percent of the water budget vanished" in out
    assert "en (" in out and "techniques not analysed" in out
    assert err.startswith("stored in sqlite:///") and "`narrascope show " in err


def test_json_to_stdout_is_one_analysis_with_the_fixed_fields(capsys):
    code, out, err = analyze(capsys, FIXTURES / "article.html", "--json", "-")
    assert code == 0, err
    analysis = json.loads(out)
    assert set(analysis) == {"schema_version", "document", "results", "warnings"}
    document = analysis["document"]
    assert document["title"] == "River Clean-up Draws Hundreds of Volunteers"
    assert document["source"] == str(FIXTURES / "article.html")
    assert document["language"]["code"] == "en"
    assert "three hundred volunteers" in document["text"]
    assert "All rights reserved" not in document["text"]  # boilerplate cut by extraction
    assert all(value is None for value in analysis["results"].values())  # --components none
    for paragraph in document["paragraphs"]:
        assert document["text"][paragraph["start"] : paragraph["end"]].strip()


def test_json_to_a_file(capsys, tmp_path):
    target = tmp_path / "out.json"
    code, out, err = analyze(capsys, FIXTURES / "article.txt", "--json", target)
    assert code == 0, err
    assert json.loads(target.read_text())["document"]["title"] == "Corrupt Officials Sold Out Our Town"
    assert out == ""  # no terminal summary when an output is named


def test_json_refuses_several_documents(capsys, tmp_path):
    code, out, err = analyze(capsys, FIXTURES / "folder", "--json", tmp_path / "out.json")
    assert code == 2
    assert "use --jsonl" in err and "Traceback" not in err
    assert not (tmp_path / "out.json").exists()


def test_stdin_with_a_named_format(capsys, monkeypatch, tmp_path):
    stdin = io.TextIOWrapper(io.BytesIO((FIXTURES / "mixed.jsonl").read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    target = tmp_path / "out.jsonl"
    code, _, err = analyze(capsys, "-", "--input-format", "jsonl", "--jsonl", target)
    assert code == 1 and "line 2" in err
    assert len(target.read_text().splitlines()) == 2


def test_folder_to_jsonl(capsys, tmp_path):
    target = tmp_path / "out.jsonl"
    code, _, err = analyze(capsys, FIXTURES / "folder", "--jsonl", target)
    assert code == 0, err
    sources = sorted(Path(json.loads(line)["document"]["source"]).name for line in target.read_text().splitlines())
    assert sources == ["one.txt", "two.txt"]
    assert "analysed 2, skipped 0" in err and "failed 0" in err


def test_jsonl_with_a_broken_line_names_it_and_writes_the_rest(capsys, tmp_path):
    target = tmp_path / "out.jsonl"
    code, _, err = analyze(capsys, FIXTURES / "mixed.jsonl", "--jsonl", target)
    assert code == 1
    assert "mixed.jsonl" in err and "line 2" in err and "Traceback" not in err
    titles = [json.loads(line)["document"]["title"] for line in target.read_text().splitlines()]
    assert titles == ["Budget talks", "Floods"]
    assert "analysed 2, skipped 0" in err and "failed 1" in err


def test_failures_do_not_stop_the_batch(capsys, tmp_path):
    target = tmp_path / "out.jsonl"
    sources = [FIXTURES / "empty.txt", FIXTURES / "article.txt", FIXTURES / "missing.txt", FIXTURES / "folder"]
    code, _, err = analyze(capsys, *sources, "--jsonl", target)
    assert code == 1
    assert len(target.read_text().splitlines()) == 3
    failure_lines = [line for line in err.splitlines() if line.startswith("narrascope: error:")]
    assert len(failure_lines) == 2
    assert any("empty.txt" in line for line in failure_lines) and any("missing.txt" in line for line in failure_lines)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text += data


def test_html_report_of_several_documents_escapes_article_content(capsys, tmp_path):
    target = tmp_path / "report.html"
    code, _, err = analyze(capsys, FIXTURES / "hostile.html", FIXTURES / "folder", "--html", target)
    assert code == 0, err
    page = _Tags()
    page.feed(target.read_text())
    assert page.tags.count("article") == 3
    assert "script" not in page.tags and "img" not in page.tags
    assert '<script>alert("pwned")</script>' in page.text
    assert "Ministers met on Tuesday" in page.text and "Heavy rain flooded" in page.text


def test_outputs_combine(capsys, tmp_path):
    code, _, err = analyze(
        capsys, FIXTURES / "article.txt", "--jsonl", tmp_path / "a.jsonl", "--html", tmp_path / "a.html"
    )
    assert code == 0, err
    assert len((tmp_path / "a.jsonl").read_text().splitlines()) == 1
    assert "Corrupt Officials Sold Out Our Town" in (tmp_path / "a.html").read_text()


def test_an_unwritable_output_fails_before_analysing(capsys, tmp_path):
    code, _, err = analyze(capsys, FIXTURES / "article.txt", "--html", tmp_path / "nowhere" / "r.html")
    assert code == 2
    assert err.count("\n") == 1 and "nowhere" in err


def test_url_from_loopback_needs_the_flag(capsys, site):
    url = f"{site}/article.html"
    code, _, err = analyze(capsys, url, "--json", "-")
    assert code == 1
    assert url in err and "refused" in err and err.count("\n") == 1
    code, out, err = analyze(capsys, url, "--json", "-", "--allow-private-urls")
    assert code == 0, err
    assert json.loads(out)["document"]["url"] == url


# --- analyze: bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "extra", "named"),
    [
        ("missing.txt", [], "missing.txt"),
        ("empty.txt", [], "empty.txt"),
        ("blank.txt", [], "blank.txt"),
        ("binary.txt", [], "binary.txt"),
        ("nobody.html", [], "nobody.html"),
        ("article.txt", ["--max-bytes", "100"], "article.txt"),
        ("ftp://example.org/article.html", [], "ftp://example.org/article.html"),
        ("javascript:alert(1)", [], "javascript:alert(1)"),
    ],
)
def test_bad_input_is_one_line_naming_it(capsys, source, extra, named):
    path = source if ":" in source else FIXTURES / source
    code, out, err = analyze(capsys, path, "--json", "-", *extra)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("narrascope: error:")
    assert named in err


def test_sources_holding_no_document_fail(capsys, tmp_path):
    lines = tmp_path / "blank.jsonl"
    lines.write_text("\n\n")
    code, _, err = analyze(capsys, lines)
    assert code == 1
    assert err == f"narrascope: error: no documents found in {lines}\n"


def test_http_error_is_one_line_naming_the_url(capsys, site):
    url = f"{site}/no-such-page.html"
    code, out, err = analyze(capsys, url, "--allow-private-urls")
    assert code == 1
    assert err.count("\n") == 1 and url in err and "404" in err


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["--components", "genre,bogus"], "unknown component 'bogus'"),
        (["--max-bytes", "lots"], "'lots' is not a positive whole number"),
        (["--max-bytes", "0"], "'0' is not a positive whole number"),
        (["--input-format", "pdf"], "invalid choice: 'pdf'"),
    ],
)
def test_bad_options_are_usage_errors(capsys, argv, complaint):
    with pytest.raises(SystemExit) as exit_:
        main(["analyze", str(FIXTURES / "article.txt"), *argv])
    assert exit_.value.code == 2
    assert complaint in capsys.readouterr().err


def test_a_bad_input_never_shows_a_traceback():
    """Through the installed entry point, as a user runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "narrascope", "analyze", str(FIXTURES / "binary.txt"), *NO_MODELS],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    expected = f"narrascope: error: {FIXTURES / 'binary.txt'}: a PNG image, not text"
    assert result.stderr.strip().splitlines() == [expected]


# --- analyze --store ---------------------------------------------------------------------------


def test_store_resumes_skips_stored_documents_and_records_failures(capsys, tmp_path):
    from narrascope.store import open_store

    url = f"sqlite:///{tmp_path / 'runs.db'}"
    sources = [FIXTURES / "folder", FIXTURES / "missing.txt"]
    code, _, err = analyze(capsys, *sources, "--store", url)
    assert code == 1
    assert "analysed 2, skipped 0" in err and "failed 1" in err

    target = tmp_path / "again.jsonl"
    code, _, err = analyze(capsys, FIXTURES / "folder", "--store", url, "--jsonl", target)
    assert code == 0, err
    assert "analysed 0, skipped 2" in err
    assert len(target.read_text().splitlines()) == 2  # stored analyses still reach the outputs

    code, _, err = analyze(capsys, FIXTURES / "folder", "--store", url, "--force")
    assert "analysed 2, skipped 0" in err

    with open_store(url) as store:
        assert store.count() == 2
        assert [Path(f.source).name for f in store.failures()] == ["missing.txt"]


def test_bad_store_url_is_one_line(capsys):
    code, _, err = analyze(capsys, FIXTURES / "article.txt", "--store", "nonsense")
    assert code == 2
    assert err.count("\n") == 1 and "nonsense" in err


# --- with the models ---------------------------------------------------------------------------


@pytest.mark.slow
def test_default_components_on_the_bundled_sample(capsys, tmp_path):
    code, out, err = narrascope(capsys, "analyze", SAMPLE, "--json", "-")
    assert code == 0, err
    analysis = json.loads(out)
    assert analysis["warnings"] == []
    assert all(analysis["results"][name] is not None for name in DEFAULT_COMPONENTS)
    assert analysis["results"]["techniques"]["spans"], "the sample's persuasion devices are highlighted"


@pytest.mark.slow
def test_the_readme_main_command_shows_the_summary_and_writes_the_report(capsys, tmp_path):
    report = tmp_path / "sample-report.html"
    code, out, err = narrascope(capsys, "analyze", SAMPLE, "--html", report)
    assert code == 0, err
    assert "The West's Proxy War Is Lost" in out and "opinion" in out
    assert f"wrote the HTML report to {report}" in err
    page = html.unescape(report.read_text())
    assert "The West's Proxy War Is Lost" in page and "<mark" in page
