#!/usr/bin/env bash
# Flame graphs of where `wsis` spends its CPU, on the harness's generated corpus
# (../shared/bench/gen_corpus.py): `serve` samples the server answering the harness's queries
# under wrk (-t1 -c16, op=or, limit=10, as bench/compare.sh measures it); `index` samples
# `wsis index --records`. Each writes bench/flamegraphs/<what>-<N>.svg (frames narrower than
# 2 pixels left out, to keep the file small) and prints the CPU by component (the crate or
# module of the frame nearest the leaf that names one), the table the README quotes.
# Usage: bench/flamegraph.sh serve [N]   (default 2000)
#        bench/flamegraph.sh index [N]   (default 10000)
# Needs: perf (linux-perf), inferno (cargo install inferno), wrk; a release build.
# Env: WSIS (default target/release/wsis), WORK_ROOT (default /tmp/wsis-bench),
#      HARNESS (default ../shared/bench), SECONDS_SAMPLED (default 6), PORT (default 18097).
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:?usage: bench/flamegraph.sh serve|index [N]}
n=${2:-$([ "$what" = index ] && echo 10000 || echo 2000)}
HARNESS=${HARNESS:-../shared/bench}
WSIS=$(realpath "${WSIS:-target/release/wsis}")
PORT=${PORT:-18097}
for tool in perf inferno-collapse-perf inferno-flamegraph wrk; do
  command -v "$tool" >/dev/null || { echo "missing $tool (perf: apt-get install linux-perf; inferno: cargo install inferno; wrk: $HARNESS/peers/install_wrk.sh)" >&2; exit 1; }
done
[ -x "$WSIS" ] || { echo "missing $WSIS: cargo build --release" >&2; exit 1; }
work=${WORK_ROOT:-/tmp/wsis-bench}/flame-n$n
mkdir -p "$work" bench/flamegraphs
[ -s "$work/corpus.jsonl" ] ||
  python3 "$HARNESS/gen_corpus.py" "$n" --out "$work/corpus.jsonl" --queries "$work/queries.txt" 2> "$work/gen.log"

case $what in
  index)
    rm -rf "$work/index"
    perf record -F 999 -g -o "$work/perf.data" \
      "$WSIS" index --records "$work/corpus.jsonl" --index "$work/index" > "$work/index.log" 2>&1
    ;;
  serve)
    [ -d "$work/index" ] || "$WSIS" index --records "$work/corpus.jsonl" --index "$work/index" > "$work/index.log" 2>&1
    "$WSIS" serve --index "$work/index" --addr "127.0.0.1:$PORT" > "$work/serve.log" 2>&1 &
    server=$!
    trap 'kill $server 2>/dev/null || true' EXIT
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
    load() {
      WRK_QUERIES=$work/queries.txt WRK_PATH_TEMPLATE='/api/search?q={q}&limit=10&op=or' \
        wrk -t1 -c16 -d"$1" -s "$HARNESS/wrk_queries.lua" "http://127.0.0.1:$PORT" > "$work/wrk.txt" 2>&1
    }
    load 2s
    load "$(( ${SECONDS_SAMPLED:-6} + 2 ))s" &
    sleep 1
    # Async stacks are deep: DWARF unwinding with a 16 KiB copy of each stack.
    perf record -F 299 --call-graph dwarf,16384 -p "$server" -o "$work/perf.data" -- sleep "${SECONDS_SAMPLED:-6}" 2> "$work/perf.log"
    wait %2 || true
    ;;
  *) echo "usage: bench/flamegraph.sh serve|index [N]" >&2; exit 2 ;;
esac

perf script -i "$work/perf.data" 2>/dev/null | inferno-collapse-perf --all > "$work/stacks.folded"
inferno-flamegraph --minwidth 2 --title "wsis $what, $n records" < "$work/stacks.folded" > "bench/flamegraphs/$what-$n.svg"
echo "bench/flamegraphs/$what-$n.svg"
python3 - "$work/stacks.folded" <<'PY'
import collections, re, sys
# A sample's component: that of the frame nearest the leaf that matches a rule (the first
# rule it matches); a sort or a copy counts for the code that called it.
rules = [
    ("kernel", r"_\[k\]$"),
    ("snippets (search::snippet)", r"search::snippet|ascii_matches_until|next_in|matches_until"),
    ("stemming (frostem)", r"frostem|[Ss]temmer"),
    ("word pairs, replay, words (index::)", r"index::(pairs|replay|words|stems|fold)"),
    ("tantivy", r"tantivy"),
    ("stored-record JSON (serde_json, search::hit)", r"serde_json|serde_core|search::hit"),
    ("response JSON (search::json)", r"search::json"),
    ("allocator (mimalloc)", r"^_?mi_|mimalloc"),
    ("memcpy / memmove / memset / memcmp", r"mem(cpy|move|set|cmp)"),
    ("HTTP (hyper, axum, tower, http)", r"hyper|axum|tower|http::|httparse|bytes::"),
    ("tokio", r"tokio"),
    ("other wsis code", r"wsis"),
]
total = 0
by = collections.Counter()
for line in open(sys.argv[1]):
    stack, count = line.rstrip().rsplit(" ", 1)
    count = int(count)
    total += count
    frames = stack.split(";")
    component = "other (std, libc, unresolved)"
    for frame in reversed(frames):
        found = next((name for name, rule in rules if re.search(rule, frame)), None)
        if found:
            component = found
            break
    by[component] += count
print("| component (nearest named frame) | share of CPU samples |")
print("|---|---:|")
for name, count in by.most_common():
    print(f"| {name} | {100 * count / total:.1f} % |")
PY
