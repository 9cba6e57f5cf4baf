#!/usr/bin/env bash
# The project's benchmark: builds the release binary and runs the shared comparison harness
# (../shared/bench/run_compare.sh) against tantivy-cli's server (the tantivy_nodelay row) at
# N = 2,000 and N = 100,000 paragraphs, on loopback. Installs the peers it needs first.
# Usage: bench/compare.sh [N ...]      (default: 2000 100000), then the indexing table at INDEX_SIZES
# (default "10000 100000 1000000", bench/index_compare.sh).
# Env: DURATION (default 15s), PEERS (default "wsis tantivy_nodelay"), as run_compare.sh reads them.
set -euo pipefail
cd "$(dirname "$0")/.."
HARNESS=${HARNESS:-../shared/bench}
[ -x "$HARNESS/run_compare.sh" ] || { echo "missing $HARNESS/run_compare.sh (the shared bench harness)" >&2; exit 1; }
cargo build --release
"$HARNESS/peers/install_wrk.sh" >/dev/null
if [[ " ${PEERS:-wsis tantivy_nodelay} " == *" tantivy"* ]]; then
  "$HARNESS/peers/install_tantivy_cli.sh" >/dev/null
fi
for n in "${@:-2000 100000}"; do
  for size in $n; do
    PEERS=${PEERS:-"wsis tantivy_nodelay"} DURATION=${DURATION:-15s} WORK=${WORK_ROOT:-/tmp/wsis-bench}/n$size \
      "$HARNESS/run_compare.sh" "$size"
  done
done
# The indexing comparison (wall time, peak RSS, records per second per thread) at 10k, 100k
# and 1M records, beside tantivy-cli's in the same run.
INDEX_SIZES=${INDEX_SIZES:-"10000 100000 1000000"}
# shellcheck disable=SC2086
bench/index_compare.sh $INDEX_SIZES
