#!/usr/bin/env bash
# The indexing comparison: `wsis index --records` against tantivy-cli's `index` on the same
# generated corpus (../shared/bench/gen_corpus.py), each under GNU time: wall seconds, peak
# RSS, CPU seconds and records per CPU second — the throughput of one indexing thread, which a
# shared machine's load does not skew as it skews wall time (wsis uses one thread when the text
# fits one segment of its writer's memory, else min(cores, 4) threads,
# tantivy-cli the harness's one). Called by bench/compare.sh; prints a markdown table.
# Usage: bench/index_compare.sh [N ...]     (default: 10000 100000 1000000)
# Env: WSIS (default target/release/wsis), TANTIVY (default /tmp/peers/tantivy-cli/bin/tantivy),
#      WORK_ROOT (default /tmp/wsis-bench), HARNESS (default ../shared/bench).
set -euo pipefail
cd "$(dirname "$0")/.."
HARNESS=${HARNESS:-../shared/bench}
WSIS=$(realpath "${WSIS:-target/release/wsis}")
export TANTIVY=${TANTIVY:-/tmp/peers/tantivy-cli/bin/tantivy}
[ -x "$WSIS" ] || { echo "missing $WSIS: cargo build --release" >&2; exit 1; }
[ -x "$TANTIVY" ] || { echo "missing $TANTIVY: run $HARNESS/peers/install_tantivy_cli.sh" >&2; exit 1; }
WSIS_THREADS=$(( $(nproc) < 4 ? $(nproc) : 4 ))

# FILE -> "wall_seconds peak_rss_mib cpu_seconds" from GNU time -v's report (CPU: user + system)
timed() {
  python3 - "$1" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
w = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1).split(":")
s = sum(float(x) * 60 ** i for i, x in enumerate(reversed(w)))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
cpu = sum(float(re.search(rf"{k} time \(seconds\): (\S+)", t).group(1)) for k in ("User", "System"))
print(f"{s:.2f} {rss / 1024:.0f} {cpu:.2f}")
PY
}

echo "| N | wsis wall s (1 thread, or $WSIS_THREADS for a build past one segment) | wsis CPU s | wsis peak RSS MiB | wsis records per CPU s | tantivy-cli wall s (1 thread) | tantivy-cli CPU s | tantivy-cli peak RSS MiB | tantivy-cli records per CPU s | throughput ratio (wsis / tantivy-cli, per CPU s) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
for n in "${sizes[@]}"; do
  work=${WORK_ROOT:-/tmp/wsis-bench}/index-n$n
  mkdir -p "$work"
  corpus=$work/corpus.jsonl
  [ -s "$corpus" ] || python3 "$HARNESS/gen_corpus.py" "$n" --out "$corpus" --queries "$work/queries.txt" >/dev/null 2>&1
  rm -rf "$work/wsis-index"
  /usr/bin/time -v -o "$work/wsis.time" "$WSIS" index --records "$corpus" --index "$work/wsis-index" > "$work/wsis.log" 2>&1
  /usr/bin/time -v -o "$work/tantivy.time" "$HARNESS/peers/tantivy_index.sh" "$corpus" "$work/tantivy-index" > "$work/tantivy.log" 2>&1
  read -r ws wr wc <<< "$(timed "$work/wsis.time")"
  read -r ts tr tc <<< "$(timed "$work/tantivy.time")"
  python3 - "$n" "$ws" "$wr" "$wc" "$ts" "$tr" "$tc" <<'PY'
import sys
n, ws, wr, wc, ts, tr, tc = sys.argv[1:]
n, wc, tc = int(n), float(wc), float(tc)
print(f"| {n:,} | {ws} | {wc:.2f} | {wr} | {n / wc:,.0f} | {ts} | {tc:.2f} | {tr} | {n / tc:,.0f} | {tc / wc:.2f} |")
PY
done
