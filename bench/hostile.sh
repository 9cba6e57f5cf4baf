#!/usr/bin/env bash
# Hostile mix, on a release build, on loopback only, bounded in time (about 2 minutes):
#
# 1. An index of made-up records (invented syllable words, fixed seed; 100,000 by default).
# 2. A cheap query (`q=<one word>`) timed alone: p50/p99.
# 3. The same cheap query timed while 50 clients send the slowest queries the limits allow
#    (prefixes that each match hundreds of words, as many as the per-query cap allows,
#    `op=or`): its p50/p99 and 503s, and what the slow queries got (200, 400
#    `query_too_expensive`, 503).
# 4. The server's RSS before, during and after N idle connections (20,000 by default; the
#    client raises its own descriptor limit; the server keeps at most its limit open).
#
#   bench/hostile.sh [RECORDS] [IDLE_CONNECTIONS] [ATTACK_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS="${1:-100000}"
IDLE="${2:-20000}"
SECS="${3:-20}"
cargo build --release --locked --quiet
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

python3 - "$RECORDS" > "$WORK/records.jsonl" <<'EOF'
import json, random, sys
random.seed(14)
syllables = [c + v for c in "bcdfgklmnprstvz" for v in "aeiou"]
for i in range(int(sys.argv[1])):
    words = ["".join(random.choice(syllables) for _ in range(3)) for _ in range(40)]
    print(json.dumps({"doc": f"d{i // 500}", "para": str(i % 500 + 1), "text": " ".join(words)}))
EOF
echo "indexing $RECORDS made-up records…"
timeout 600 target/release/wsis index --records "$WORK/records.jsonl" --index "$WORK/index" | head -1

(ulimit -n 20000 2>/dev/null || true
 exec target/release/wsis serve --addr 127.0.0.1:0 --index "$WORK/index" --corpus "$WORK/none" \
    2> "$WORK/serve.log") &
SERVER_PID=$!
for _ in $(seq 100); do
    grep -q "serving http://" "$WORK/serve.log" 2>/dev/null && break
    sleep 0.1
done
ADDR="$(grep -o 'serving http://[0-9.:]*' "$WORK/serve.log" | head -1 | sed 's|serving http://||')"
echo "server $SERVER_PID on $ADDR"

timeout $((SECS * 3 + 120)) python3 - "$ADDR" "$SERVER_PID" "$IDLE" "$SECS" <<'EOF'
import http.client, resource, socket, statistics, sys, threading, time
host, port = sys.argv[1].rsplit(":", 1)
pid, idle, secs = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

def rss_mb():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

def get(conn, path):
    conn.request("GET", path)
    r = conn.getresponse()
    r.read()
    return r.status

def time_cheap(seconds, stop=None):
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    times, statuses = [], {}
    end = time.time() + seconds
    while time.time() < end and not (stop and stop.is_set()):
        t = time.perf_counter()
        s = get(conn, "/api/search?q=bakabi")
        times.append((time.perf_counter() - t) * 1000)
        statuses[s] = statuses.get(s, 0) + 1
        time.sleep(0.02)
    times.sort()
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    return p(0.5), p(0.99), statuses, len(times)

syl = [c + v for c in "bcdfgklmnprstvz" for v in "aeiou"]
cons = "bcdfgklmnprstvz"
# A syllable and a consonant ("bak*") match 5 × 75 = 375 index words, under the per-prefix
# cap of 1,000; thirteen of them (4,875 words) stay under the per-query cap of 5,000.
slow_queries = [
    " ".join(f"{syl[(k + j) % len(syl)]}{cons[(k * 7 + j) % len(cons)]}*" for j in range(13))
    for k in range(50)
]

p50, p99, st, n = time_cheap(secs / 2)
print(f"cheap query alone: p50 {p50:.1f} ms, p99 {p99:.1f} ms over {n} requests, statuses {st}")

slow_statuses, lock, stop = {}, threading.Lock(), threading.Event()
def attacker(q):
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    path = "/api/search?op=or&q=" + q.replace(" ", "%20").replace("*", "%2A")
    while not stop.is_set():
        try:
            s = get(conn, path)
        except Exception:
            s = "error"
            conn = http.client.HTTPConnection(host, int(port), timeout=60)
        with lock:
            slow_statuses[s] = slow_statuses.get(s, 0) + 1
threads = [threading.Thread(target=attacker, args=(q,), daemon=True) for q in slow_queries]
for t in threads: t.start()
time.sleep(1)
p50, p99, st, n = time_cheap(secs)
stop.set()
for t in threads: t.join(timeout=30)
print(f"cheap query under 50 slow clients: p50 {p50:.1f} ms, p99 {p99:.1f} ms over {n} requests, statuses {st} (503s: {st.get(503, 0)})")
print(f"slow queries' answers: {slow_statuses}")

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, idle + 1000), hard))
if idle > hard - 200:
    print(f"(the client's descriptor limit is {hard}: {hard - 200} idle connections, not {idle})")
    idle = hard - 200
time.sleep(1)
before = rss_mb()
socks, failed = [], 0
for _ in range(idle):
    try:
        s = socket.create_connection((host, int(port)), timeout=5)
        socks.append(s)
    except OSError:
        failed += 1
time.sleep(2)
during = rss_mb()
conn = http.client.HTTPConnection(host, int(port), timeout=30)
t = time.perf_counter()
status = get(conn, "/api/search?q=bakabi")
fresh = (time.perf_counter() - t) * 1000
for s in socks: s.close()
time.sleep(12)  # the server gives freed memory back every 10 s
after = rss_mb()
print(f"{idle} idle connections ({failed} not opened): server RSS {before:.1f} MB before, {during:.1f} MB during, {after:.1f} MB after; a new client meanwhile got {status} in {fresh:.1f} ms")
EOF
echo "limit log lines: $(grep -c 'connections open (the limit)' "$WORK/serve.log" || true)"
