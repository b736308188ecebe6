"""`narrascope spark --input PATH --output PATH.parquet`: the pipeline over many documents on
Apache Spark, writing the rows `narrascope export --format parquet` writes.

Spark is an optional extra (`pip install 'narrascope[spark]'`) that also needs Java; both are
checked before Spark starts, and what is missing is named with how to get it. Spark's own log
(start-up notices, warnings) goes to a file unless `--spark-log-level` asks for it on the console.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import IO

from ..errors import NarrascopeError
from ._help import add_command
from .store import genre_mix_argument

INSTALL_SPARK = "pip install 'narrascope[spark]' (from a checkout: pip install -e '.[spark]')"
INSTALL_JAVA = "on Debian or Ubuntu: sudo apt-get install openjdk-17-jre-headless; or set JAVA_HOME to a JDK"
LOG_LEVELS = ("ERROR", "WARN", "INFO", "DEBUG")


class SparkUnavailable(NarrascopeError):
    """PySpark or Java is missing: nothing Spark can do starts."""


def register(commands: argparse._SubParsersAction) -> None:
    parser = add_command(
        commands,
        "spark",
        help="analyse a JSONL dump, a folder or a WARC archive on Spark",
        description="Run the same pipeline as `narrascope analyze` on Apache Spark and write the rows "
        "`narrascope export --format parquet` writes (columns: docs/exports.md), failures to a second "
        f"Parquet output. Spark is an optional extra: {INSTALL_SPARK}; it also needs Java 17 or newer. "
        "Both are checked before Spark starts. Spark's own messages go to a log file (named at the end) "
        "unless --spark-log-level WARN or lower shows them.",
        examples=[
            ("install the extra (once)", "pip install -e '.[spark]'"),
            ("a folder of pages on this machine's cores", "narrascope spark --input crawl/ --output analyses.parquet"),
            ("a JSONL dump in 16 tasks, two components",
             "narrascope spark --input dump.jsonl --output out.parquet --partitions 16 --components genre,frames"),
        ],
    )
    parser.add_argument("--input", required=True, metavar="PATH", help="JSONL file, folder or WARC (path or URI)")
    parser.add_argument("--output", required=True, metavar="PATH", help="Parquet output (a Spark folder)")
    parser.add_argument(
        "--failures",
        metavar="PATH",
        help="Parquet of inputs not analysed: failed or skipped, with the reason (default: OUTPUT.failures.parquet)",
    )
    parser.add_argument("--partitions", type=int, metavar="N", help="split the input into N tasks")
    parser.add_argument("--master", default="local[2]", help="Spark master URL (default local[2])")
    parser.add_argument(
        "--components", default="all", metavar="LIST", help="comma-separated components, 'all' (default) or 'none'"
    )
    parser.add_argument(
        "--taxonomy", metavar="FILE", action="append", default=[],
        help="also score your own labels from this taxonomy file (repeatable; read on the driver)",
    )
    parser.add_argument(
        "--genre-mix", metavar="MIX", type=genre_mix_argument,
        help="the genre mix of your collection when you know it, e.g. reporting=0.7,opinion=0.25,satire=0.05 "
        "(see narrascope analyze --help)",
    )
    parser.add_argument("--overwrite", action="store_true", help="replace existing outputs")
    parser.add_argument(
        "--spark-log-level",
        type=str.upper,
        choices=LOG_LEVELS,
        default="ERROR",
        help="Spark's messages shown on the console from this level up (default ERROR: the rest goes to "
        "the log file)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    check_spark()
    components = _components(args.components)
    from ..user_taxonomy import load

    taxonomies = [load(path) for path in args.taxonomy]  # a bad file stops here, before Spark starts
    if args.partitions is not None and args.partitions < 1:
        raise NarrascopeError(f"--partitions {args.partitions}: must be at least 1")
    import narrascope.scale as scale

    quiet = args.spark_log_level == "ERROR"
    with _jvm_log(quiet) as log:
        try:
            spark = scale.create_session(args.master, log_level=args.spark_log_level, jvm_log=log)
        except Exception as exc:  # noqa: BLE001 - Spark reports start-up failures as assorted exceptions
            where = f"; Spark's log: {log.name}" if log else ""
            raise SparkUnavailable(f"Spark did not start ({type(exc).__name__}: {_first_line(exc)}){where}") from None
        try:
            result = scale.run_job(
                spark,
                args.input,
                args.output,
                failures_output=args.failures,
                partitions=args.partitions,
                components=components,
                taxonomies=taxonomies,
                genre_mix=args.genre_mix,
                overwrite=args.overwrite,
            )
        finally:
            spark.stop()
    kept = log is not None and Path(log.name).exists()
    print(
        f"analysed {result.documents} document(s), {result.records} row(s) -> {result.output}; "
        f"{result.failures} failure(s) and {result.skipped} skipped -> {result.failures_output}" + (f"; Spark's log: {log.name}" if kept else ""),
        file=sys.stderr,
    )
    return 1 if result.failures else 0


def check_spark() -> None:
    """`SparkUnavailable` naming everything missing (PySpark, Java, a Java new enough) and how to get it."""
    problems = []
    if importlib.util.find_spec("pyspark") is None:
        problems.append(f"PySpark is not installed: {INSTALL_SPARK}")
    java = _java()
    if java is None:
        problems.append(f"Java is not installed (Spark runs on the JVM; it needs Java 17 or newer): {INSTALL_JAVA}")
    else:
        version = _java_version(java)
        needed = _java_needed()
        if version is not None and version < needed:
            problems.append(f"{java} is Java {version}; this PySpark needs Java {needed} or newer: {INSTALL_JAVA}")
    if problems:
        raise SparkUnavailable("narrascope spark cannot start: " + "; ".join(problems))


def _java() -> str | None:
    """The java Spark will run: $JAVA_HOME/bin/java when JAVA_HOME is set, else java on the PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "java"
        return str(candidate) if os.access(candidate, os.X_OK) else None
    return shutil.which("java")


def _java_version(java: str) -> int | None:
    """17 for 'openjdk version "17.0.9"', 8 for '"1.8.0_392"'; None when it cannot be told."""
    try:
        shown = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', shown)
    if not match:
        return None
    major, minor = int(match.group(1)), int(match.group(2) or 0)
    return minor if major == 1 else major


def _java_needed() -> int:
    """Spark 4 runs on Java 17 and newer; Spark 3 on 8 and newer."""
    try:
        major = int(metadata.version("pyspark").split(".")[0])
    except (metadata.PackageNotFoundError, ValueError):
        return 17
    return 17 if major >= 4 else 8


@contextmanager
def _jvm_log(quiet: bool) -> Iterator[IO[str] | None]:
    """A file in the temporary folder for the JVM's standard error when Spark runs quietly; it is
    kept (and named at the end) so what Spark said can still be read, unless Spark said nothing
    (its JVM was started earlier in this process)."""
    if not quiet:
        yield None
        return
    with tempfile.NamedTemporaryFile("w", prefix="narrascope-spark-", suffix=".log", delete=False) as file:
        try:
            yield file
        finally:
            file.flush()
            if os.fstat(file.fileno()).st_size == 0:
                os.unlink(file.name)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "no message"


def _components(value: str) -> tuple[str, ...]:
    from ..components import DEFAULT_COMPONENTS

    if value == "all":
        return DEFAULT_COMPONENTS
    if value == "none":
        return ()
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    unknown = [name for name in names if name not in DEFAULT_COMPONENTS]
    if unknown or not names:
        raise NarrascopeError(
            f"--components: unknown {', '.join(unknown) or repr(value)}; choose from {', '.join(DEFAULT_COMPONENTS)}, "
            "'all' or 'none'"
        )
    return names
