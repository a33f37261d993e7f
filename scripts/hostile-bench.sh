#!/usr/bin/env bash
# The big hostile inputs of issue 14, too big for CI: each is built here,
# run through the release binary, and timed (seconds, peak RSS of shuliang
# itself; converters run in children, bounded by --timeout/--memory).
#
#   scripts/hostile-bench.sh             # BEFORE=path/to/old/shuliang to compare
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin shuliang
bin=$PWD/target/release/shuliang
before=${BEFORE:-}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

timed() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "$label: %e s, %M KB, exit %x" "$@" > /dev/null 2> "$dir/err" || true
  tail -n 1 "$dir/err"
}

echo "== 1亿元 repeated, no sentence end (linear: 4x the text, ~4x the time)"
for kb in 64 256 512 1024; do
  python3 -c "import sys; sys.stdout.write('1亿元' * ($kb * 1024 // 9))" > "$dir/y$kb.txt"
  timed "${kb} KB" "$bin" extract -q "$dir/y$kb.txt"
  [ -n "$before" ] && timed "${kb} KB before" "$before" extract -q "$dir/y$kb.txt"
done

echo "== stream: one 2 GB line between two documents (skipped, memory flat)"
{ printf '{"doc":"a","text":"增长3%%"}\n'; head -c 2000000000 /dev/zero | tr '\0' x; printf '\n{"doc":"b","text":"增长4%%"}\n'; } > "$dir/long.jsonl"
timed "2 GB line" "$bin" stream < "$dir/long.jsonl"
rm -f "$dir/long.jsonl"

echo "== /dev/zero piped in (streamed; stopped after 2 GB by head)"
timed "/dev/zero 2 GB" sh -c "head -c 2000000000 /dev/zero | '$bin' extract -q -"

echo "== 100,000 and 200,000 nested <div>s (the converter is quadratic; --timeout bounds it)"
for n in 100000 200000; do
  python3 -c "print('<html><body>' + '<div>' * $n + '增长3%')" > "$dir/deep$n.html"
  timed "$n divs" "$bin" extract -q --timeout 10 "$dir/deep$n.html"
done

echo "== a 100 MB rule file (line numbers: one index, linear)"
python3 - "$dir/big.toml" <<'PY'
import sys
rules = open("rules/zh.toml", encoding="utf-8").read()
pad = "# " + "x" * 1000 + "\n"
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write(pad * 100_000)
    f.write(rules)
PY
timed "100 MB rules" "$bin" rules test "$dir/big.toml"
