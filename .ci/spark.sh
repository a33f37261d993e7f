#!/usr/bin/env bash
# CI for the Spark example (examples/spark): checks Java, installs pyspark
# when it is not there at the pinned version, builds the release binary and
# runs tests/py/spark_test.py (a few minutes at most; its last line is
# `N passed, M failed`). Idempotent: a second run installs nothing.
#
#   .ci/spark.sh                       # PYTHON=python3.11 to choose the interpreter
#   SPARK_TEST_BENCH=0 .ci/spark.sh    # skip the throughput figures (saves ~30 s)
set -euo pipefail
cd "$(dirname "$0")/.."

# Spark 3.5 runs on Java 8/11/17/21; verified here with OpenJDK 17.0.15.
PYSPARK_VERSION=3.5.9
PYTHON=${PYTHON:-python3}

echo "== spark: java"
if ! command -v java >/dev/null 2>&1; then
  echo "spark.sh: no java on PATH; install Java 17 (apt-get install -y openjdk-17-jre-headless)" >&2
  exit 1
fi
java_version=$(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')
java_major=${java_version%%.*}
[ "$java_major" = 1 ] && java_major=$(echo "$java_version" | cut -d. -f2)  # 1.8.0 -> 8
echo "java $java_version"
if [ "$java_major" -lt 17 ]; then
  echo "spark.sh: Java $java_version found, 17 or newer wanted" >&2
  exit 1
fi

echo "== spark: pyspark $PYSPARK_VERSION"
have() { "$PYTHON" -c 'import pyspark; print(pyspark.__version__)' 2>/dev/null || true; }
if [ "$(have)" != "$PYSPARK_VERSION" ]; then
  # A Python whose packages belong to apt (PEP 668) gets a venv of its own.
  if "$PYTHON" -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))' \
      && [ -z "${VIRTUAL_ENV:-}" ]; then
    venv=${SHULIANG_SPARK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/shuliang/spark-venv}
    [ -x "$venv/bin/python" ] || "$PYTHON" -m venv "$venv"
    PYTHON=$venv/bin/python
  fi
  if [ "$(have)" != "$PYSPARK_VERSION" ]; then
    PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install --quiet --disable-pip-version-check \
      --no-input "pyspark==$PYSPARK_VERSION"
  fi
fi
echo "pyspark $(have) ($PYTHON)"

echo "== spark: cargo build --release"
cargo build --release --quiet

echo "== spark: tests/py/spark_test.py"
run=()
command -v timeout >/dev/null 2>&1 && run=(timeout 1200)
"${run[@]}" "$PYTHON" tests/py/spark_test.py
