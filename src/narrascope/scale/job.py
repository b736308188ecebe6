"""The pipeline as an Apache Spark job: the same reading (`narrascope.ingest`), extraction and
components (`read_document`, the pipeline) as `narrascope analyze`, run inside `mapPartitions`,
writing the rows `narrascope export --format parquet` writes, with the same schema.

Input is JSON Lines (read with `spark.read.text`, so a big dump splits across tasks), a WARC
archive, or a folder of text/HTML/JSONL/WARC files (also compressed), at a local path or any
Hadoop-compatible URI. A local folder is walked as `narrascope analyze` walks it (links never
followed, archives and other files skipped with the reason) and each file read by the executors
as the local reader reads it; other URIs are read with `binaryFiles`. Each document is analysed
under the same per-document time budget (`narrascope.worker`). Inputs that cannot be read or
analysed, and inputs skipped on purpose, become rows of a separate output (source, reason,
input_id, kind: input / timeout / memory / crash / internal, or skipped); none is dropped silently.
"""

from __future__ import annotations

import atexit
import io
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlparse

from ..components import DEFAULT_COMPONENTS
from ..components.custom import Recipe, recipe
from ..components.genre import checked_mix, genre_at_mix
from ..errors import InputError
from ..ingest import Failure, Item, RawDocument, Skipped
from ..ingest.compressed import compression_of
from ..ingest.folders import walk
from ..ingest.jsonl import iter_jsonl
from ..ingest.sources import format_of, read_named, read_path
from ..settings import Settings
from ..store.export import RECORD_SCHEMA
from ..store.labels import EXPORT_COLUMNS, export_records
from ..user_taxonomy import UserTaxonomy
from ..worker import Analyser, make_analyser

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession
    from pyspark.sql.types import StructType

FAILURE_COLUMNS = ("source", "reason", "input_id", "kind")  # kind: a failure's (input, timeout...) or "skipped"
FAILURE_SCHEMA = "source string, reason string, input_id string, kind string"
LOG_CONFIG = Path(__file__).with_name("log4j2.properties")  # Spark's log level from the first line on


@dataclass(frozen=True)
class JobResult:
    documents: int  # analysed and written
    records: int  # label rows written
    failures: int  # inputs that failed (rows of the failures output)
    output: str
    failures_output: str
    skipped: int = 0  # inputs skipped on purpose (rows of the failures output too, kind "skipped")


def create_session(
    master: str = "local[2]",
    app_name: str = "narrascope",
    shuffle_partitions: int = 4,
    log_level: str = "WARN",
    jvm_log: IO[str] | None = None,
) -> "SparkSession":
    """A Spark session whose Python workers run this interpreter; local masters stay on loopback
    with no web UI. Spark logs at `log_level` and up (from start-up on, not only once the session
    exists); with `jvm_log`, whatever the JVM writes to standard error goes there instead of the
    console (its start-up notices included)."""
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers import narrascope from here
    conf = (
        SparkConf()
        .setMaster(master)
        .setAppName(app_name)
        .set("spark.pyspark.python", sys.executable)
        .set("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .set("spark.ui.showConsoleProgress", "false")
        .set("spark.hadoop.mapreduce.input.fileinputformat.input.dir.recursive", "true")
        .set("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={LOG_CONFIG.as_uri()} "
             f"-Dnarrascope.spark.log.level={log_level.lower()}")
    )
    if master.startswith("local"):
        conf = (
            conf.set("spark.ui.enabled", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1")
        )
    if SparkContext._gateway is None:  # the first session of this process starts the JVM
        gateway = launch_gateway(conf, popen_kwargs={"stderr": jvm_log} if jvm_log is not None else None)
        SparkContext(conf=conf, gateway=gateway)
    session = SparkSession.builder.config(conf=conf).getOrCreate()
    session.sparkContext.setLogLevel(log_level)
    return session


def failures_path_for(output: str) -> str:
    """`out.parquet` -> `out.failures.parquet` (beside the records)."""
    stem, dot, suffix = output.rstrip("/").rpartition(".")
    return f"{stem}.failures.{suffix}" if dot and "/" not in suffix else f"{output.rstrip('/')}.failures"


def run_job(
    spark: "SparkSession",
    input_path: str,
    output: str,
    *,
    failures_output: str | None = None,
    partitions: int | None = None,
    components: Sequence[str] = DEFAULT_COMPONENTS,
    settings: Settings | None = None,
    overwrite: bool = False,
    taxonomies: Sequence[UserTaxonomy] = (),
    genre_mix: Mapping[str, float] | None = None,
) -> JobResult:
    """Analyse every document under `input_path`; write label rows to `output` (Parquet) and
    failures to `failures_output` (default `failures_path_for(output)`). Each taxonomy's examples
    are read here on the driver and shipped as sentences, so workers need none of its files. With
    `genre_mix`, every genre is decided at that collection mix (`core.analyze`)."""
    from pyspark import StorageLevel

    local = urlparse(input_path).scheme in ("", "file")
    if local and not Path(_local_name(input_path)).exists():
        raise InputError(f"{input_path}: no such file or directory")
    settings = settings or Settings.from_env()
    # each task's worker encodes on the cores Spark gives a task, so parallel tasks do not
    # oversubscribe the machine (local[2]: two workers of one thread each)
    settings = replace(settings, encoder_threads=int(spark.conf.get("spark.task.cpus", "1")))
    failures_output = failures_output or failures_path_for(output)
    components = tuple(components)
    custom = tuple(recipe(t) for t in taxonomies)
    genre_mix = checked_mix(genre_mix) if genre_mix is not None else None  # a bad mix stops here, before Spark works
    raw = read_raw(spark, input_path, partitions, settings)
    results = raw.mapPartitions(lambda items: analyse_partition(items, components, settings, custom, genre_mix))
    results.persist(StorageLevel.MEMORY_AND_DISK)  # written twice (records, failures), analysed once
    try:
        records = spark.createDataFrame(results.filter(lambda row: row[0]).map(lambda row: row[1]), spark_schema())
        failures = spark.createDataFrame(results.filter(lambda row: not row[0]).map(lambda row: row[1]), FAILURE_SCHEMA)
        mode = "overwrite" if overwrite else "errorifexists"
        _write(records, output, mode)
        _write(failures, failures_output, mode)
        skipped = failures.filter(failures.kind == "skipped").count()
        return JobResult(
            documents=records.select("source").distinct().count(),
            records=records.count(),
            failures=failures.count() - skipped,
            output=output,
            failures_output=failures_output,
            skipped=skipped,
        )
    finally:
        results.unpersist()


def read_raw(spark: "SparkSession", path: str, partitions: int | None, settings: Settings) -> "RDD":
    """An RDD of `RawDocument`s, `Failure`s and `Skipped`, as `narrascope.ingest` reads them locally."""
    from pyspark.sql import functions as F

    if _format(path) == "jsonl" and compression_of(path) is None:  # split by lines across tasks
        lines = spark.read.text(path).select(F.input_file_name().alias("file"), "value").rdd.zipWithIndex()
        first_index = lines.map(lambda pair: (pair[0].file, pair[1])).reduceByKey(min).collectAsMap()
        numbered = lines.map(lambda pair: (pair[0].file, pair[1] - first_index[pair[0].file] + 1, pair[0].value))
        numbered = numbered.repartition(partitions) if partitions else numbered
        return numbered.flatMap(lambda line: read_jsonl_line(*line, settings=settings))
    if urlparse(path).scheme in ("", "file"):
        entries = local_entries(_local_name(path))
        slices = partitions or max(1, min(len(entries), spark.sparkContext.defaultParallelism))
        return spark.sparkContext.parallelize(entries, slices).flatMap(lambda entry: read_entry(entry, settings))
    files = spark.sparkContext.binaryFiles(path, minPartitions=partitions)
    files = files.repartition(partitions) if partitions else files
    return files.flatMap(lambda item: read_file(*item, settings=settings))


def local_entries(path: str) -> list[str | Skipped | Failure]:
    """A local file, or what a folder walk gives (paths to read, and what is skipped or failed)."""
    root = Path(path)
    if not root.is_dir():
        return [path]
    return [str(entry) if isinstance(entry, Path) else entry for entry in walk(root, format_of, None)]


def read_entry(entry: str | Skipped | Failure, settings: Settings) -> list[Item]:
    """One local file read as `narrascope analyze` reads it (feeds excepted: their entries need fetching)."""
    if not isinstance(entry, str):
        return [entry]
    return list(read_path(Path(entry), settings))


def read_jsonl_line(file: str, number: int, line: str, settings: Settings) -> list[RawDocument | Failure]:
    """One JSON Lines record, named `file:number` as the local reader names it."""
    name = _local_name(file)
    items = iter_jsonl(io.BytesIO(line.encode("utf-8", "surrogatepass")), name, settings)
    return [
        replace(item, source=f"{name}:{number}")
        if isinstance(item, RawDocument)
        else replace(
            item, source=f"{name}:{number}", reason=item.reason.replace(f"{name} line 1", f"{name} line {number}", 1)
        )
        for item in items
    ]


def read_file(uri: str, data: bytes, settings: Settings) -> list[Item]:
    """The items of one file read by Spark (a URI that is not local): as the local reader reads it."""
    name = _local_name(uri)
    fmt = format_of(PurePosixPath(name))
    if fmt is None:
        return [Skipped(name, f"{name}: not a file type narrascope reads")]  # as a local folder walk says
    try:
        return list(read_named(io.BytesIO(data), name, fmt, settings))
    except Exception as exc:  # noqa: BLE001 - one file never fails the job
        return [Failure.from_exception(name, exc)]


def analyse_partition(
    items: Iterable[Item],
    components: tuple[str, ...],
    settings: Settings,
    custom: tuple[Recipe, ...] = (),
    genre_mix: Mapping[str, float] | None = None,
) -> Iterator[tuple[bool, tuple[Any, ...]]]:
    """(True, record) per label row of each analysed document, (False, (source, reason, input_id,
    kind)) per input that failed or was skipped. Documents are analysed by one child process per
    Python worker, under the per-document time budget, its models loaded once and reused."""
    from threadpoolctl import threadpool_limits

    os.environ["NARRASCOPE_ENCODER_THREADS"] = str(settings.encoder_threads)  # read when the encoder loads
    threadpool_limits(settings.encoder_threads)  # the heads' BLAS too (a child process gets both from settings)
    analyser = _analyser(settings, components)
    decide_genre = genre_at_mix(genre_mix)
    for item in items:
        if isinstance(item, Skipped):
            yield False, (item.source, item.reason, None, "skipped")
            continue
        outcome = item if isinstance(item, Failure) else analyser.run(item, components, custom=custom)
        if isinstance(outcome, Failure):
            yield False, (outcome.source, outcome.reason, outcome.input_id, outcome.kind)
            continue
        for record in export_records(decide_genre(outcome)):  # type: ignore[arg-type]
            yield True, tuple(record[column] for column in EXPORT_COLUMNS)


_ANALYSERS: dict[tuple[Settings, tuple[str, ...]], Analyser] = {}


def _analyser(settings: Settings, components: tuple[str, ...]) -> Analyser:
    """This Python worker's analyser, kept for the tasks it runs next (Spark reuses workers)."""
    key = (settings, components)
    if key not in _ANALYSERS:
        _ANALYSERS[key] = make_analyser(settings, components)
        atexit.register(_ANALYSERS[key].close)
    return _ANALYSERS[key]


def spark_schema() -> "StructType":
    """`RECORD_SCHEMA` in Spark types, so Spark's Parquet reads back as the store's export does."""
    import pyarrow as pa
    from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

    spark_types = {pa.string(): StringType(), pa.float64(): DoubleType(), pa.int64(): LongType()}
    return StructType([StructField(f.name, spark_types[f.type], f.nullable) for f in RECORD_SCHEMA])


def _write(frame: Any, path: str, mode: str) -> None:
    from pyspark.errors import AnalysisException

    try:
        frame.write.mode(mode).parquet(path)
    except AnalysisException as exc:
        if "already exists" in str(exc).lower() or "PATH_ALREADY_EXISTS" in str(exc):
            raise InputError(f"{path}: already exists (use --overwrite to replace it)") from None
        raise


def _format(path: str) -> str | None:
    return format_of(PurePosixPath(urlparse(path).path or path))


def _local_name(uri: str) -> str:
    """`file:/tmp/a.html` -> `/tmp/a.html`, as the local reader names it; other URIs unchanged."""
    parsed = urlparse(uri)
    return parsed.path if parsed.scheme == "file" else uri
