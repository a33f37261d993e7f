"""Peak memory of iter_files against extract_files (issue 15).

    python python/bench_memory.py iter|whole FOLDER

Run each mode in its own process. For a big folder, link corpus/ many
times: mkdir /tmp/big && for i in $(seq 1 45); do ln -s $PWD/corpus /tmp/big/c$i; done
"""

import resource
import sys
import time

import shuliang

mode, folder = sys.argv[1], sys.argv[2]
t = time.perf_counter()
if mode == "iter":
    n = sum(len(df) for df in shuliang.iter_files(folder))
else:
    n = len(shuliang.extract_files(folder))
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"{mode}: {n} rows, {time.perf_counter() - t:.1f} s, peak RSS {rss} MB")
