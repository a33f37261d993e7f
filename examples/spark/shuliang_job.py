#!/usr/bin/env python3
"""Extract quantities from a folder of reports with Spark and `shuliang stream`.

    spark-submit examples/spark/shuliang_job.py \
        --bin target/release/shuliang --input corpus --output out/ [--format parquet|csv]

Each file under --input (recursively; `*.txt` by default, like `shuliang
extract`) becomes one JSON line {"doc": <path below --input, '/'-separated>,
"text": ...}; the `shuliang` binary is shipped to the executors with
`sc.addFile` and run on every partition with `RDD.pipe(... stream)`; its CSV
rows become a DataFrame with an explicit schema, written as Parquet or CSV.
The rows are those of `shuliang extract <input>/`, doc ids included.

Files are read as bytes (the `binaryFile` source) and decoded here the way shuliang
decodes them: UTF-8 with a leading BOM dropped, else GB18030 (GBK, GB2312)
strictly, else the file is skipped and named on stderr (exit status 1, the
rest is still written — as `shuliang extract` does). See README.md beside this
file for the few byte sequences where Python's GB18030 codec and shuliang's
(WHATWG) differ.

Empty fields of the CSV (value_max, unit, qualifier when there is none) are
nulls in the DataFrame.
"""

import argparse
import codecs
import csv
import fnmatch
import json
import os
import shlex
import subprocess
import sys
from decimal import Decimal

def load_columns(binary=None, schema_file=None):
    """The output's columns as `shuliang schema` gives them (the binary's own
    column table, so this job never lists them by hand): a list of
    (name, type, required). `schema_file` is a saved `shuliang schema`
    output, for a driver that cannot run the executors' binary."""
    if schema_file:
        with open(schema_file, encoding="utf-8") as f:
            table = json.load(f)
    else:
        out = subprocess.run([binary, "schema"], check=True, capture_output=True).stdout
        table = json.loads(out)
    return [
        (f["name"], f["type"], bool(f.get("constraints", {}).get("required")))
        for f in table["fields"]
    ]


def schema(columns, decimal=False):
    """The output schema: offsets as ints, values as exact decimal strings
    (or decimal(38,6) with --decimal), the rest as strings (`year` too: a
    document's line may give any text as its year)."""
    from pyspark.sql.types import DecimalType, IntegerType, StringType, StructField, StructType

    fields = []
    for name, kind, required in columns:
        if kind == "integer" and required:
            t = IntegerType()
        elif kind == "number" and decimal:
            t = DecimalType(38, 6)
        else:
            t = StringType()
        fields.append(StructField(name, t, nullable=not required))
    return StructType(fields)


# --- decoding, as shuliang's src/decode.rs does it ------------------------

BOM = b"\xef\xbb\xbf"


def _whatwg_gb18030_errors(exc):
    # The WHATWG GB18030 decoder (shuliang uses encoding_rs) reads a lone
    # 0x80 byte as U+20AC; Python's codec refuses it. Anything else stays an error.
    if isinstance(exc, UnicodeDecodeError) and exc.object[exc.start] == 0x80:
        return "\u20ac", exc.start + 1
    raise exc


def decode(data):
    """Text of a document, or None when it is neither UTF-8 nor clean GB18030."""
    # A UTF-16 byte-order mark: read as UTF-16, as shuliang extract does.
    for mark, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(mark):
            return data[len(mark):].decode(codec, errors="replace")
    body = data[len(BOM):] if data.startswith(BOM) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        codecs.lookup_error("shuliang-gb18030")
    except LookupError:
        codecs.register_error("shuliang-gb18030", _whatwg_gb18030_errors)
    try:
        return body.decode("gb18030", errors="shuliang-gb18030")
    except UnicodeDecodeError:
        return None


# --- doc ids ----------------------------------------------------------------


def doc_id(path, root):
    """Path of `path` below `root` ('/'-separated), as shuliang extract names it."""
    root = root.rstrip("/")
    if path == root:
        return None
    if not path.startswith(root + "/"):
        raise ValueError(f"{path} is not below {root}")
    return path[len(root) + 1 :]


def selected(rel, globs):
    """shuliang's --glob: a pattern matches the path below the folder or the file name."""
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel, g) or fnmatch.fnmatchcase(name, g) for g in globs)


# --- rows -------------------------------------------------------------------


def parse_rows(lines, columns, decimal=False):
    """CSV lines of `shuliang stream` (no header) to tuples in the order of
    `columns` (`load_columns`).

    `RDD.pipe` hands over lines with their '\\n' stripped; they get it back so
    that csv.reader would also join a quoted field spanning lines (shuliang
    never writes one: layout whitespace is removed from text and context)."""
    for row in csv.reader(line + "\n" for line in lines):
        if len(row) != len(columns):
            raise ValueError(f"shuliang wrote {len(row)} fields, not {len(columns)}: {row!r}")
        out = []
        for (_, kind, required), field in zip(columns, row):
            if kind == "integer" and required:
                out.append(int(field))
            elif field == "":
                out.append(None)
            elif kind == "number" and decimal:
                out.append(Decimal(field))
            else:
                out.append(field)
        yield tuple(out)


# A line shuliang refuses (it is not JSON), so that it exits 1 and the task fails.
POISON = "shuliang_job: the input of this partition failed, see the executor's stderr"


def guarded(items):
    """RDD.pipe feeds the process from a thread: an exception there is printed
    but leaves the process waiting for input forever, and the task hangs.
    Print it, then end the input with a line shuliang refuses instead."""
    try:
        yield from items
    except Exception:  # noqa: BLE001 -- reported, then turned into a task failure
        import traceback

        traceback.print_exc()
        yield POISON


# The command each partition pipes its documents through. $1 is the binary's
# path on the driver (right in local mode, and on an executor that shares the
# driver's host); elsewhere the file is in the executor's working directory,
# where Spark puts what sc.addFile / --files ship. Spark marks fetched files
# executable, but a copy localized by YARN may not be: make it so, or run a copy.
WRAPPER = r"""
b=$1; n=$2; shift 2
[ -f "$b" ] || b=./$n
if [ ! -x "$b" ] && ! chmod u+x "$b" 2>/dev/null; then
  t=$(mktemp) && cp "$b" "$t" && chmod u+x "$t" && b=$t
fi
exec "$b" "$@"
"""


def pipe_command(driver_path, threads, rules=None, quiet=True):
    name = os.path.basename(driver_path)
    args = ["sh", "-c", WRAPPER, "sh", driver_path, name, "stream", "--threads", str(threads)]
    if rules:
        args += ["--rules", os.path.basename(rules)]
    if quiet:
        args.append("--quiet")
    return " ".join(shlex.quote(a) for a in args)


def documents(spark, input_path, globs, skipped):
    """RDD of JSON lines, one per document.

    Files are read with Spark's `binaryFile` source, the DataFrame form of
    `sc.binaryFiles`: its listing is parallel and cheap, where binaryFiles on
    a local or NFS folder forks a process per file to read permissions (13 s
    for 500 files here) and packs files into 128 MB tasks by their real size
    (500 small files, one task)."""
    sc = spark.sparkContext
    hpath = sc._jvm.org.apache.hadoop.fs.Path(input_path)
    fs = hpath.getFileSystem(sc._jsc.hadoopConfiguration())
    qualified = fs.makeQualified(hpath)
    single = fs.getFileStatus(qualified).isFile()
    root = qualified.toString()
    given = input_path

    reader = spark.read.format("binaryFile").option("recursiveFileLookup", "true")
    if not single and not any("/" in g for g in globs):
        # Patterns on the file name only: let the listing skip other files
        # unread (Hadoop glob syntax; {a,b} for several).
        reader = reader.option("pathGlobFilter", globs[0] if len(globs) == 1 else "{" + ",".join(globs) + "}")
    files = reader.load(root).select("path", "content").rdd

    def line(row):
        doc = given if single else doc_id(row.path, root)
        if not single and not selected(doc, globs):
            return []
        text = decode(bytes(row.content))
        if text is None:
            skipped.add({doc})
            return []
        return [json.dumps({"doc": doc, "text": text}, ensure_ascii=False)]

    return files.flatMap(line)


def run(spark, binary, input_path, output, fmt="parquet", globs=("*.txt",), decimal=False,
        sort=False, mode="errorifexists", rules=None, threads=None, quiet=True, partitions=None,
        schema_file=None):
    """Runs the job; returns the sorted list of skipped documents."""
    from pyspark import AccumulatorParam, SparkFiles, StorageLevel

    class SetParam(AccumulatorParam):
        def zero(self, value):
            return set()

        def addInPlace(self, a, b):
            a |= b
            return a

    sc = spark.sparkContext
    if __name__ != "__main__":
        # Imported, not submitted: the executors' Python must import us too.
        sc.addPyFile(os.path.abspath(__file__))
    if not os.path.isfile(binary):
        raise SystemExit(f"shuliang_job: no binary at {binary} (cargo build --release)")
    sc.addFile(os.path.abspath(binary))
    if rules:
        sc.addFile(os.path.abspath(rules))
    if threads is None:
        threads = int(sc.getConf().get("spark.task.cpus", "1"))
    columns = load_columns(binary, schema_file)
    skipped = sc.accumulator(set(), SetParam())
    command = pipe_command(SparkFiles.get(os.path.basename(binary)), threads, rules, quiet)
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin"}

    docs = documents(spark, input_path, list(globs), skipped)
    if partitions:
        docs = docs.repartition(partitions)
    rows = (
        docs.mapPartitions(guarded)
        .pipe(command, env=env, checkCode=True)
        .mapPartitions(lambda lines: parse_rows(lines, columns, decimal))
    )
    df = spark.createDataFrame(rows, schema(columns, decimal))
    if sort:
        # A global sort samples its input first: keep the rows so that
        # shuliang does not run twice over the corpus.
        df = df.persist(StorageLevel.MEMORY_AND_DISK).orderBy("doc", "start", "end")
    else:
        # Deterministic within each output file, no shuffle.
        df = df.sortWithinPartitions("doc", "start", "end")
    writer = df.write.mode(mode)
    if fmt == "parquet":
        writer.parquet(output)
    elif fmt == "csv":
        # RFC 4180 like shuliang's own CSV: quotes doubled (Spark's default
        # escapes them with a backslash), spaces kept (Spark trims by default).
        (
            writer.option("header", True)
            .option("escape", '"')
            .option("ignoreLeadingWhiteSpace", False)
            .option("ignoreTrailingWhiteSpace", False)
            .csv(output)
        )
    else:
        raise ValueError(f"unknown format {fmt}")
    return sorted(skipped.value)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bin", required=True, help="the shuliang binary (built for the executors' OS)")
    p.add_argument("--input", required=True, help="folder of reports (or one file); any Hadoop path")
    p.add_argument("--output", required=True, help="output folder (any Hadoop path)")
    p.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    p.add_argument("--glob", action="append", help="files to read, as shuliang's --glob (default *.txt)")
    p.add_argument("--rules", help="a rule file instead of the embedded rules")
    p.add_argument("--schema", help="`shuliang schema` output, saved (default: ask --bin, on the driver)")
    p.add_argument("--decimal", action="store_true", help="value, value_max as decimal(38,6), not strings")
    p.add_argument("--sort", action="store_true",
                   help="sort all rows by doc, start (a shuffle; default: sorted within each output file)")
    p.add_argument("--overwrite", action="store_true", help="replace --output if it exists")
    p.add_argument("--threads", type=int, help="threads per shuliang process (default: spark.task.cpus)")
    p.add_argument("--partitions", type=int,
                   help="spread documents over this many tasks (Spark packs small files "
                   "into few tasks, counting 4 MB a file, up to 128 MB a task)")
    p.add_argument("--log-level", default="WARN", help="Spark log level (default WARN)")
    p.add_argument("--verbose", action="store_true", help="let shuliang print its summary per partition")
    a = p.parse_args(argv)

    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.appName("shuliang")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel(a.log_level)
    try:
        skipped = run(
            spark,
            a.bin,
            a.input,
            a.output,
            fmt=a.format,
            globs=a.glob or ["*.txt"],
            decimal=a.decimal,
            sort=a.sort,
            mode="overwrite" if a.overwrite else "errorifexists",
            rules=a.rules,
            threads=a.threads,
            quiet=not a.verbose,
            partitions=a.partitions,
            schema_file=a.schema,
        )
    finally:
        spark.stop()
    for doc in skipped:
        print(f"shuliang_job: {doc}: neither UTF-8 nor GB18030, skipped", file=sys.stderr)
    return 1 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
