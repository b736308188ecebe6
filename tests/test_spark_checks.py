"""`narrascope spark` before and around Spark: what is missing (PySpark, Java, a Java new enough) is
named with how to get it, exit code 2 and no traceback; Spark's WARN noise stays off the console."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def spark_cli(tmp_path: Path, env: dict[str, str], *, prelude: str = "") -> subprocess.CompletedProcess[str]:
    """`narrascope spark` through `narrascope.cli.main` in a fresh interpreter."""
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps({"text": "Officials said the plan was reckless and dangerous."}) + "\n")
    argv = ["spark", "--input", str(dump), "--output", str(tmp_path / "out.parquet"), "--components", "none"]
    code = f"{prelude}\nimport sys\nfrom narrascope.cli import main\nsys.exit(main({argv!r}))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600)


def without_java(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "JAVA_HOME"}
    env["PATH"] = str(Path(sys.executable).parent)  # python and narrascope, no java
    return env


def test_missing_pyspark_is_named_with_the_extra_to_install(tmp_path) -> None:
    result = spark_cli(tmp_path, dict(os.environ), prelude="import sys; sys.modules['pyspark'] = None")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "PySpark is not installed: pip install 'narrascope[spark]' (from a checkout: pip install -e '.[spark]')" in (
        result.stderr
    )


def test_missing_java_is_named_with_how_to_get_it(tmp_path) -> None:
    result = spark_cli(tmp_path, without_java(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "Java is not installed (Spark runs on the JVM; it needs Java 17 or newer)" in result.stderr
    assert "apt-get install openjdk-17-jre-headless" in result.stderr


def test_a_java_too_old_for_pyspark_is_refused_before_starting(tmp_path) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    java = fake / "java"
    java.write_text('#!/bin/sh\necho \'openjdk version "11.0.22" 2024-01-16\' >&2\n')
    java.chmod(0o755)
    env = without_java(tmp_path)
    env["JAVA_HOME"] = str(tmp_path)
    result = spark_cli(tmp_path, env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{java} is Java 11; this PySpark needs Java 17 or newer" in result.stderr


def test_the_extra_is_declared_and_named_in_the_help() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'spark = ["pyspark>=4.0"]' in pyproject
    help_text = subprocess.run(
        [sys.executable, "-m", "narrascope", "spark", "--help"], capture_output=True, text=True, timeout=120
    ).stdout
    assert "pip install 'narrascope[spark]'" in " ".join(help_text.split()) and "pip install -e '.[spark]'" in help_text


@pytest.mark.slow
@pytest.mark.spark
def test_spark_warnings_stay_off_the_console(tmp_path) -> None:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java")
    result = spark_cli(tmp_path, dict(os.environ))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("analysed 1 document(s), 1 row(s)"), result.stderr
    log = Path(lines[0].rsplit("Spark's log: ", 1)[1])
    assert log.is_file()  # what Spark said is kept for reading
    log.unlink()
