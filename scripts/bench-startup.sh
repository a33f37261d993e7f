#!/usr/bin/env bash
# Start-up of `shuliang extract` on one short file (one sentence, one row):
# the fastest of N runs (15 by default) in milliseconds, and with valgrind
# installed the instructions of one run (callgrind), which the machine's
# load does not move. The embedded rules, then the same rules given with
# `--rules` (compiled at start: nothing made ahead is used).
#
#   scripts/bench-startup.sh                      # target/release/shuliang
#   BENCH_BIN=/tmp/old/shuliang scripts/bench-startup.sh   # another build
#   BENCH_RUNS=30 scripts/bench-startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BENCH_BIN:-}" ]; then
  cargo build --release --quiet --bin shuliang
fi
bin=$(realpath "${BENCH_BIN:-target/release/shuliang}")
runs=${BENCH_RUNS:-15}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "一共3个" > "$dir/short.txt"

# The fastest of $runs wall-clock times of the command, in ms.
fastest() {
  local best=""
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" > /dev/null
    t1=$(date +%s%N)
    local ms=$(( (t1 - t0) / 1000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  printf '%d.%03d ms' $(( best / 1000 )) $(( best % 1000 ))
}

# The instructions of one run of the command (callgrind), in millions.
instructions() {
  if ! command -v valgrind > /dev/null; then
    echo "(no valgrind)"
    return
  fi
  valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" "$@" 2>&1 > /dev/null |
    awk '/refs:/ { gsub(",", "", $NF); printf "%.1f M instructions", $NF / 1e6 }'
}

"$bin" --version
for rules in embedded --rules; do
  args=(extract -q --threads 1 "$dir/short.txt" -o "$dir/out.csv")
  [ "$rules" = --rules ] && args+=(--rules rules/zh.toml)
  echo "$rules: fastest of $runs: $(fastest "$bin" "${args[@]}"); $(instructions "$bin" "${args[@]}")"
done
