"""Wall time of shuliang.extract_files against `shuliang extract` (issue 15).

    python python/bench.py [PATHS...] [--cli target/release/shuliang] [--runs 5]

Each side is run --runs times, alternating; best and median are printed.
`extract_files` is timed whole: the Rust run, the CSV into pandas, dtypes.
"""

import argparse
import statistics
import subprocess
import time

import shuliang

ap = argparse.ArgumentParser()
ap.add_argument("paths", nargs="*", default=["corpus/"])
ap.add_argument("--cli", default="target/release/shuliang")
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--threads", type=int)
a = ap.parse_args()

shuliang.Rules.default()  # as the CLI loads its rules inside its run, so does the first call
py, cli = [], []
threads = [] if a.threads is None else ["--threads", str(a.threads)]
for _ in range(a.runs):
    t = time.perf_counter()
    df = shuliang.extract_files(a.paths, threads=a.threads)
    py.append(time.perf_counter() - t)
    t = time.perf_counter()
    subprocess.run([a.cli, "extract", "-q", *threads, *a.paths], stdout=subprocess.DEVNULL, check=False)
    cli.append(time.perf_counter() - t)
for name, ts in (("shuliang extract (CLI)", cli), ("shuliang.extract_files", py)):
    print(f"{name:24} best {min(ts):.3f} s  median {statistics.median(ts):.3f} s")
print(f"rows {len(df)}; ratio of medians {statistics.median(py) / statistics.median(cli):.2f}")
