#!/usr/bin/env bash
# Long fuzz runs: cargo-fuzz (libFuzzer) on each target for SECONDS, on the stable toolchain
# (cargo-fuzz needs nightly flags, which RUSTC_BOOTSTRAP=1 allows). Seeds come from the
# shipped corpus (documents, and words of their text as queries); libFuzzer's corpus grows
# in fuzz/corpus/TARGET and crashes land in fuzz/artifacts/TARGET (both ignored by git).
#
#   fuzz/run.sh [SECONDS] [TARGET...]     (default: 600 s each; document query import)
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
shift || true
targets=("${@:-document query import}")
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1

seed() {  # TARGET: first-byte mode + shipped text
  local dir=corpus/$1 i=0
  mkdir -p "$dir"
  for f in ../corpus/*.txt; do
    i=$((i + 1))
    case $1 in
      document) { printf '\x00'; cat "$f"; } > "$dir/seed-$i" ;;
      import) { printf '\x01'; sed -n '1,200p' "$f"; } > "$dir/seed-$i" ;;
      query) sed -n '/^---$/,$p' "$f" | tr -s ' ' '\n' | grep -E '^[A-Za-z]{4,}$' | head -20 |
        while read -r w; do printf '\x00%s' "$w" > "$dir/word-$w"; done ;;
    esac
  done
}

for t in ${targets[@]}; do
  seed "$t"
  echo "== fuzzing $t for $secs s"
  cargo fuzz run -s none -O "$t" -- -max_total_time="$secs" -print_final_stats=1 2>&1 |
    tee "/tmp/wsis-fuzz-$t.log" | grep -E '^(#[0-9]+ +DONE|stat::|==|SUMMARY|thread)' || true
  if [ -n "$(ls -A "artifacts/$t" 2>/dev/null)" ]; then
    echo "crashes in fuzz/artifacts/$t:"; ls "artifacts/$t"; exit 1
  fi
done
