#!/usr/bin/env bash
# Long fuzz runs: cargo-fuzz (libFuzzer) on each target for SECONDS, on the stable toolchain
# (cargo-fuzz needs nightly flags, which RUSTC_BOOTSTRAP=1 allows). Seeds come from the
# shipped corpus (documents; words of their text and query syntax for the query target);
# libFuzzer's corpus grows in fuzz/corpus/TARGET and crashes land in fuzz/artifacts/TARGET
# (both ignored by git). Exits non-zero on a crash or a failed build.
#
#   fuzz/run.sh [SECONDS] [TARGET...]     (default: 600 s each; document query import)
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(document query import)
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1

seed() {  # TARGET: a first byte choosing the mode, then shipped text
  local dir=corpus/$1 f i=0 w
  mkdir -p "$dir"
  for f in ../corpus/*.txt; do
    i=$((i + 1))
    case $1 in
      document) { printf '\x00'; cat "$f"; } > "$dir/seed-$i" ;;
      import) { printf '\x01'; head -n 200 "$f"; } > "$dir/seed-$i" ;;
      query)
        grep -q '^---$' "$f" || continue
        for w in $(sed -n '/^---$/,$p' "$f" | tr -cs 'A-Za-z' '\n' | awk 'length >= 4' | head -n 20); do
          printf '\x00%s' "$w" > "$dir/word-$w"
        done ;;
    esac
  done
  if [ "$1" = query ]; then
    i=0
    for q in '"digital divide"' 'title:("Tunis Agenda" forum)' '"internet gover"*' 'multistake*' \
      'forum -"Internet Governance Forum"' '"a b"~2^2' 'TA 72(e)' 'Tunis Agenda paras 69-71'; do
      i=$((i + 1)); printf '\x01%s' "$q" > "$dir/syntax-$i"
    done
  fi
}

for t in "${targets[@]}"; do
  seed "$t"
  echo "== fuzzing $t for $secs s"
  set +e
  cargo fuzz run -s none -O "$t" -- -max_total_time="$secs" -print_final_stats=1 > "/tmp/wsis-fuzz-$t.log" 2>&1
  status=$?
  set -e
  grep -E '^(stat::|SUMMARY|thread )' "/tmp/wsis-fuzz-$t.log" || true
  if [ -n "$(ls -A "artifacts/$t" 2>/dev/null)" ]; then
    echo "crashes in fuzz/artifacts/$t:"; ls "artifacts/$t"; exit 1
  fi
  if [ "$status" -ne 0 ]; then
    echo "cargo fuzz failed ($status); see /tmp/wsis-fuzz-$t.log"; tail -n 20 "/tmp/wsis-fuzz-$t.log"; exit 1
  fi
done
