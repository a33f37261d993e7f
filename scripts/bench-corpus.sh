#!/usr/bin/env bash
# Throughput of `shuliang extract` on a large input built by repetition from
# the UTF-8 text reports of a folder (corpus/ by default), with 1 and 2 threads, as many files and as one file, beside a
# bare regex scan of the same bytes (the ceiling). Prints MB/s, rows/s, peak
# RSS and the 2-thread speed-up.
#
#   scripts/bench-corpus.sh                       # corpus/, 1 GB (BENCH_MB=200 for a quicker run)
#   scripts/bench-corpus.sh ../shared/corpus      # another folder of reports
set -euo pipefail
src=$(realpath "${1:-corpus}")
cd "$(dirname "$0")/.."
MB=${BENCH_MB:-1024}
name=$(basename "$(dirname "$src")")-$(basename "$src")  # wt-engine-corpus, shared-corpus
OUT=target/bench
cargo build --release --quiet --bin shuliang --example bare_scan
bin=${BENCH_BIN:-target/release/shuliang}  # BENCH_BIN=… to measure another build
scan=target/release/examples/bare_scan

# The UTF-8 text reports of the folder, concatenated once.
mkdir -p "$OUT"
seed="$OUT/seed-$name.txt"
find "$src" -name '*.txt' ! -path '*gbk*' -print0 | sort -z | xargs -0 cat > "$seed"
seed_bytes=$(stat -c %s "$seed")
copies=$(( MB * 1024 * 1024 / seed_bytes + 1 ))
files_dir="$OUT/files-$name-${MB}mb"
one="$OUT/one-$name-${MB}mb.txt"
if [ ! -f "$one" ]; then
  echo "building $one and $files_dir ($copies copies of ${seed_bytes} bytes)" >&2
  rm -rf "$files_dir"; mkdir -p "$files_dir"
  : > "$one"
  for i in $(seq 1 "$copies"); do cat "$seed" >> "$one"; done
  # Many files: the one file cut into pieces of ~100 KB at line ends, or
  # at a character boundary in a line longer than that (`split -C` would
  # cut inside a character).
  python3 - "$one" "$files_dir" <<'PY'
import sys
data, out, n, at = open(sys.argv[1], 'rb').read(), sys.argv[2], 0, 0
while at < len(data):
    end = min(at + 100 * 1024, len(data))
    if end < len(data):
        nl = data.rfind(b'\n', at, end)
        if nl >= at:
            end = nl + 1
        else:
            while data[end] & 0xC0 == 0x80:
                end -= 1
    open(f'{out}/part-{n:05d}.txt', 'wb').write(data[at:end])
    n, at = n + 1, end
PY
fi
nfiles=$(ls "$files_dir" | wc -l)
bytes=$(stat -c %s "$one")
echo "machine: $(nproc) cores; input: $((bytes / 1048576)) MB of $name as one file and as $nfiles files"

run() { # label threads path...
  local label=$1 threads=$2; shift 2
  local log="$OUT/time.log"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -v "$bin" extract -q --threads "$threads" "$@" -o "$OUT/out.csv" 2> "$log"
  end=$(date +%s.%N)
  local secs rss rows
  secs=$(echo "$end - $start" | bc -l)
  rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$log")
  rows=$(($(wc -l < "$OUT/out.csv") - 1))
  printf '%-12s threads=%s  %7.1f MB/s  %9.0f rows/s  peak RSS %4d MB  (%.1f s)\n' \
    "$label" "$threads" "$(echo "$bytes / 1048576 / $secs" | bc -l)" "$(echo "$rows / $secs" | bc -l)" $((rss / 1024)) "$secs"
  echo "$secs" > "$OUT/last.secs"
}

$scan "$one" | tee "$OUT/scan.txt"
scan_mbs=$(sed -E 's/.*mb_per_s=([0-9.]+).*/\1/' "$OUT/scan.txt")
for layout in files one; do
  path=$files_dir; [ $layout = one ] && path=$one
  run "$layout" 1 "$path"; t1=$(cat "$OUT/last.secs")
  run "$layout" 2 "$path"; t2=$(cat "$OUT/last.secs")
  printf '%-12s speed-up 2/1 threads: %.2fx; 1 thread is %.0f%% of the bare scan (%s MB/s)\n' \
    "$layout" "$(echo "$t1 / $t2" | bc -l)" "$(echo "$bytes / 1048576 / $t1 / $scan_mbs * 100" | bc -l)" "$scan_mbs"
done
