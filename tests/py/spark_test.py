#!/usr/bin/env python3
"""End-to-end test of examples/spark/shuliang_job.py, no mocks.

Runs the job with spark-submit in local mode (local[2]) on corpus/ and on a
copy of it with awkward extras, reads its output back, and checks the rows
are exactly those of `shuliang extract --glob '*.txt'` on the same folder,
doc ids included (the job reads text files; see examples/spark/README.md).
Then measures the Spark job against `shuliang extract`, and `shuliang stream`
against `shuliang extract` on corpus/ repeated 50 times.

Needs pyspark and Java 17 (.ci/spark.sh installs pyspark) and a release
build (cargo build --release). Installs nothing.

    python3 tests/py/spark_test.py            # SPARK_TEST_BENCH=0 skips the figures

Exit status 0 when every check passes; the last line is `N passed, M failed`.
"""

import csv
import glob
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JOB = os.path.join(ROOT, "examples", "spark", "shuliang_job.py")
TO_JSONL = os.path.join(ROOT, "examples", "spark", "to_jsonl.py")
LOG4J = os.path.join(ROOT, "examples", "spark", "log4j2.properties")
BIN = os.environ.get("SHULIANG_BIN", os.path.join(ROOT, "target", "release", "shuliang"))
MASTER = "local[2]"
# The job reads text files (*.txt by default); shuliang extract may read more
# types by default (PDF, Word, HTML in newer versions): compare like with like.
TXT = ["--glob", "*.txt"]
REPEAT = 50

sys.dont_write_bytecode = True  # no __pycache__ left in the work tree
sys.path.insert(0, os.path.dirname(JOB))
import shuliang_job  # noqa: E402  (decode(), load_columns(): the job's own, no pyspark needed)

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok    {name}")
    else:
        failed += 1
        print(f"FAIL  {name}")
        if detail:
            print("      " + detail.replace("\n", "\n      "))


#: The output's columns, as the job reads them from `shuliang schema`.
COLUMNS = shuliang_job.load_columns(BIN) if os.access(BIN, os.X_OK) else []
NAMES = [name for name, _, _ in COLUMNS]


def as_strings(row):
    return tuple("" if v is None else str(v) for v in row)


def extract_rows(*args):
    """Rows of `shuliang extract ARGS` (header dropped), its exit status."""
    p = subprocess.run([BIN, "extract", "-q", *TXT, *args], cwd=ROOT, capture_output=True)
    rows = list(csv.reader(io.StringIO(p.stdout.decode("utf-8"), newline="")))
    if rows and rows[0] == NAMES:
        rows = rows[1:]
    return [tuple(r) for r in rows], p.returncode


def diff(a, b, limit=3):
    only_a = sorted(set(a) - set(b))
    only_b = sorted(set(b) - set(a))
    lines = [f"{len(a)} rows vs {len(b)} expected"]
    lines += [f"unexpected: {r}" for r in only_a[:limit]]
    lines += [f"missing:    {r}" for r in only_b[:limit]]
    return "\n".join(lines)


def spark_env():
    import pyspark

    env = dict(os.environ)
    # The Spark that came with pyspark, not some other one SPARK_HOME names.
    env["SPARK_HOME"] = os.path.dirname(pyspark.__file__)
    env.setdefault("PYSPARK_PYTHON", sys.executable)
    env.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    return env


def spark_submit(*job_args):
    """Runs the job as a user would; returns (exit status, output, seconds).
    spark-submit runs the driver's Python with its stderr sent to stdout:
    the two are read together."""
    submit = os.path.join(spark_env()["SPARK_HOME"], "bin", "spark-submit")
    cmd = [
        submit,
        "--master", MASTER,
        "--driver-java-options", f"-Dlog4j2.configurationFile=file:{LOG4J}",
        "--conf", "spark.ui.enabled=false",
        JOB, "--bin", BIN, *job_args,
    ]
    t = time.monotonic()
    p = subprocess.run(cmd, cwd=ROOT, env=spark_env(), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout, time.monotonic() - t


def csv_part_rows(folder):
    rows = []
    for part in sorted(glob.glob(os.path.join(folder, "part-*.csv"))):
        with open(part, newline="", encoding="utf-8") as f:
            r = list(csv.reader(f))
        if r:
            if r[0] != NAMES:
                raise ValueError(f"{part}: header {r[0]}")
            rows += [tuple(x) for x in r[1:]]
    return rows


def awkward_corpus(dst):
    """corpus/ plus what a real folder holds: a file in no known encoding, a
    Chinese folder name with a space, a BOM, GBK with a lone 0x80 (the euro
    sign, as WHATWG decoders read it), a file that is not *.txt, an empty file."""
    shutil.copytree(os.path.join(ROOT, "corpus"), dst)
    os.makedirs(os.path.join(dst, "新 目录"))
    with open(os.path.join(dst, "新 目录", "报告 一.txt"), "w", encoding="utf-8") as f:
        f.write("全年新增就业12.5万人，增长3.2%左右。\n投资“1,200”亿元, 较上年增长 8%。\n")
    with open(os.path.join(dst, "bom.txt"), "wb") as f:
        f.write(b"\xef\xbb\xbf" + "粮食产量1.2万吨，增长5.5%。".encode("utf-8"))
    with open(os.path.join(dst, "euro.txt"), "wb") as f:
        f.write("外贸进出口增长12%，".encode("gbk") + b"\x80" + "达到3.5亿元。".encode("gbk"))
    with open(os.path.join(dst, "bad.txt"), "wb") as f:
        f.write(b"\xff\xfe\xff growth 12%")
    with open(os.path.join(dst, "notes.md"), "w", encoding="utf-8") as f:
        f.write("增长99%\n")
    open(os.path.join(dst, "empty.txt"), "w").close()


def bench(tmp, spark_corpus_seconds, rows_corpus):
    """Figures: Spark job vs extract on corpus/; stream vs extract on corpus/ x50."""

    def best(cmd, stdin=None, n=3):
        times = []
        for _ in range(n):
            f = open(stdin, "rb") if stdin else subprocess.DEVNULL
            t = time.monotonic()
            p = subprocess.run(cmd, cwd=ROOT, stdin=f, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            times.append(time.monotonic() - t)
            if stdin:
                f.close()
        return min(times), p.stdout.count(b"\n")

    corpus = os.path.join(ROOT, "corpus")
    t_extract, _ = best([BIN, "extract", "-q", *TXT, corpus], n=5)
    print(f"bench corpus/ ({rows_corpus} rows): spark-submit job {spark_corpus_seconds:.1f} s wall "
          f"(JVM start included), shuliang extract {t_extract * 1000:.0f} ms")

    big = os.path.join(tmp, "big")
    jsonl = os.path.join(tmp, "big.jsonl")
    size = 0
    for i in range(REPEAT):
        shutil.copytree(corpus, os.path.join(big, f"copy-{i:02d}"))
    for p in glob.glob(os.path.join(big, "**", "*.txt"), recursive=True):
        size += os.path.getsize(p)
    files = glob.glob(os.path.join(corpus, "**", "*.txt"), recursive=True)
    with open(jsonl, "wb") as out:
        p = subprocess.run([sys.executable, TO_JSONL, big], stdout=out)
    check(f"to_jsonl.py on corpus/ x{REPEAT} exits 0", p.returncode == 0)
    ex = subprocess.run([BIN, "extract", "-q", *TXT, big], capture_output=True).stdout
    with open(jsonl, "rb") as f:
        st = subprocess.run([BIN, "stream", "-q", "--header"], stdin=f, capture_output=True).stdout
    check(f"shuliang stream --header < to_jsonl.py output == shuliang extract, byte for byte "
          f"(corpus/ x{REPEAT})", st == ex and len(ex) > 0, f"{len(st)} bytes vs {len(ex)}")
    mb = size / 1e6
    t_ex, rows_ex = best([BIN, "extract", "-q", *TXT, big])
    t_st, rows_st = best([BIN, "stream", "-q"], stdin=jsonl)
    rows_ex -= 1  # header
    jsonl_mb = os.path.getsize(jsonl) / 1e6
    print(f"bench corpus/ x{REPEAT}: {len(files) * REPEAT} documents, {mb:.1f} MB of files "
          f"({jsonl_mb:.1f} MB as JSON lines), {os.cpu_count()} cores, best of 3")
    print(f"bench   shuliang extract: {t_ex:6.2f} s  {mb / t_ex:6.1f} MB/s  {rows_ex / t_ex:8.0f} rows/s")
    print(f"bench   shuliang stream:  {t_st:6.2f} s  {mb / t_st:6.1f} MB/s  {rows_st / t_st:8.0f} rows/s")
    status, err, t_sp = spark_submit("--input", big, "--output", os.path.join(tmp, "big-out"))
    print(f"bench   spark job ({MASTER}): {t_sp:6.2f} s  {mb / t_sp:6.1f} MB/s  {rows_ex / t_sp:8.0f} rows/s"
          " (wall, JVM start included)")
    check(f"spark job on corpus/ x{REPEAT} exits 0", status == 0, err[-2000:])


def main():
    if not os.access(BIN, os.X_OK):
        print(f"no binary at {BIN}: cargo build --release")
        print("0 passed, 1 failed")
        return 1
    os.environ.update(spark_env())  # for the session that reads the output back
    tmp = tempfile.mkdtemp(prefix="shuliang-spark-")
    try:
        # 1. corpus/ as Parquet.
        out1 = os.path.join(tmp, "corpus-parquet")
        status, err, t_corpus = spark_submit("--input", "corpus", "--output", out1)
        check("spark job on corpus/ exits 0", status == 0, err[-3000:])
        print(f"      ({t_corpus:.1f} s)")
        want, st = extract_rows("corpus/")
        check("shuliang extract corpus/ exits 0", st == 0)

        # 2. The awkward copy as CSV: skipped file named, exit 1, rows still there.
        odd = os.path.join(tmp, "odd")
        awkward_corpus(odd)
        out2 = os.path.join(tmp, "odd-csv")
        status2, err2, _ = spark_submit("--input", odd, "--output", out2, "--format", "csv")
        want2, st2 = extract_rows(odd)
        # bad.txt starts with a UTF-16 byte-order mark: extract reads it as
        # UTF-16 (issue 24), and so does the job; neither skips it.
        check("job exits 0 like shuliang extract on a UTF-16-marked file", status2 == 0 and st2 == 0,
              f"job {status2}, extract {st2}\n{err2[-2000:]}")
        check("job skips no file", "skipped" not in err2.replace("0 skipped", ""), err2[-1000:])

        # 3. One file given, --decimal --sort: doc is the path as given.
        one = "corpus/national/state-council-2022.txt"
        out3 = os.path.join(tmp, "one-parquet")
        status3, err3, _ = spark_submit("--input", one, "--output", out3, "--decimal", "--sort")
        check("job on one file with --decimal --sort exits 0", status3 == 0, err3[-3000:])
        want3, _ = extract_rows(one)

        from pyspark.sql import SparkSession

        spark = (
            SparkSession.builder.master(MASTER)
            .appName("shuliang-test")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{LOG4J}")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        try:
            df = spark.read.parquet(out1)
            check("Parquet schema is the job's explicit schema",
                  df.schema.simpleString() == shuliang_job.schema(COLUMNS).simpleString(),
                  f"{df.schema.simpleString()}\nvs {shuliang_job.schema(COLUMNS).simpleString()}")
            got = sorted(as_strings(r) for r in df.collect())
            want = sorted(want)
            check("Parquet rows == shuliang extract corpus/ rows (all columns)", got == want,
                  diff(got, want))
            check("doc ids match: " + ", ".join(sorted({r[0] for r in want})[:3]) + ", …",
                  {r[0] for r in got} == {r[0] for r in want} and len(want) > 0)

            got2 = sorted(csv_part_rows(out2))
            want2 = sorted(want2)
            check("CSV output rows == shuliang extract rows on the awkward folder", got2 == want2,
                  diff(got2, want2))
            for doc in ("新 目录/报告 一.txt", "bom.txt", "euro.txt"):
                check(f"awkward folder: rows for {doc!r}", any(r[0] == doc for r in got2))

            if status3 == 0:
                df3 = spark.read.parquet(out3)
                got3 = [tuple(r) for r in df3.collect()]
                check("--decimal: value, value_max are decimal(38,6)",
                      df3.schema["value"].dataType.simpleString() == "decimal(38,6)"
                      and df3.schema["value_max"].dataType.simpleString() == "decimal(38,6)")

                def norm(r):
                    return tuple(
                        Decimal(v) if (n in ("value", "value_max") and v not in ("", None))
                        else ("" if v is None else str(v))
                        for n, v in zip(NAMES, r)
                    )

                check(f"--decimal --sort on one file: rows == extract {one}, in order, doc as given",
                      [norm(r) for r in got3] == [norm(r) for r in want3],
                      diff([norm(r) for r in got3], [norm(r) for r in want3]))
        finally:
            spark.stop()

        if os.environ.get("SPARK_TEST_BENCH", "1") != "0":
            bench(tmp, t_corpus, len(want))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
