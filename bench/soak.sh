#!/usr/bin/env bash
# Soak run: the suite's soak test for longer, on a release build. 32 keep-alive clients query
# `wsis serve` while the index is rebuilt every 2 minutes (between two made-up corpora), then
# SIGTERM arrives under load. It fails on any error, on memory growth of 10 % or more after
# warm-up, and on open files or deleted mappings above the warm-up baseline.
#
#   bench/soak.sh [SECONDS]     (default 600)
set -euo pipefail
cd "$(dirname "$0")/.."
WSIS_SOAK_SECS="${1:-600}" cargo test --release --locked --test it soak -- --nocapture
