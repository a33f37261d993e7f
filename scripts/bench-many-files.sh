#!/usr/bin/env bash
# Peak memory of `shuliang extract` over many one-line files: a batch user's
# folder of small policy documents. Memory should stay flat in the number
# of files, not grow with it. Makes N files of one sentence each under
# target/bench/many-N/ (folders of 1,000 files, as reports are kept by
# place or year), then runs extract with and without --summary under
# /usr/bin/time -v and prints peak RSS.
#
#   scripts/bench-many-files.sh                 # N = 10,000 and 100,000
#   scripts/bench-many-files.sh 1000000         # a million: ~4 GB of disk (a block a file), ~10 min
#   BENCH_BIN=/path/to/shuliang scripts/bench-many-files.sh   # another build
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@")
[ ${#counts[@]} -eq 0 ] && counts=(10000 100000)
if [ -z "${BENCH_BIN:-}" ]; then
  cargo build --release --quiet --bin shuliang
fi
bin=${BENCH_BIN:-target/release/shuliang}
OUT=target/bench
mkdir -p "$OUT"
declare -A first_rss
first_n=0

for n in "${counts[@]}"; do
  dir="$OUT/many-$n"
  if [ ! -f "$dir/.done" ]; then
    echo "making $n one-line files under $dir" >&2
    rm -rf "$dir"
    python3 - "$dir" "$n" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    sub = f'{root}/{i // 1000:04d}'
    if i % 1000 == 0:
        os.makedirs(sub, exist_ok=True)
    with open(f'{sub}/doc-{i:07d}.txt', 'w', encoding='utf-8') as f:
        f.write(f'全年地区生产总值增长{i % 97}.5%，完成投资{i}亿元。\n')
PY
    touch "$dir/.done"
  fi
  for summary in no yes; do
    extra=()
    [ $summary = yes ] && extra=(--summary "$OUT/many-summary.json")
    log="$OUT/many-time.log"
    /usr/bin/time -v "$bin" extract -q "$dir" "${extra[@]}" -o "$OUT/many-out.csv" 2> "$log" || true
    rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$log")
    secs=$(awk -F': ' '/Elapsed/ {print $2}' "$log")
    rows=$(($(wc -l < "$OUT/many-out.csv") - 1))
    # Bytes a file: the growth in peak RSS over the first count's run, per file more.
    slope=""
    if [ -n "${first_rss[$summary]:-}" ]; then
      slope=$(printf '  %d bytes a file more' $(( (rss - first_rss[$summary]) * 1024 / (n - first_n) )))
    else
      first_rss[$summary]=$rss; first_n=$n
    fi
    printf '%8d files  --summary %-3s  peak RSS %5d MB  %s wall  %d rows%s\n' \
      "$n" "$summary" $((rss / 1024)) "$secs" "$rows" "$slope"
  done
done
