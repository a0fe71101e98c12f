#!/usr/bin/env bash
# A bounded fuzz run of each target (default 60 s each), seeded with the
# shipped scenarios and the hostile-input corpus. Not part of `cargo test`.
#
#   fuzz/run.sh [SECONDS]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). On a stable toolchain it
# runs with RUSTC_BOOTSTRAP=1, which lets cargo-fuzz pass its sanitizer
# flags. A crash leaves its input in fuzz/artifacts/TARGET/; keep it as a
# regression case in tests/fuzz_regressions/ once fixed.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
export RUSTC_BOOTSTRAP=1

mkdir -p corpus/scenario corpus/saved_output
cp ../scenarios/*.toml ../tests/corpus/*.toml ../tests/fuzz_regressions/*.toml corpus/scenario/ 2>/dev/null || true
cp ../scenarios/*.golden.json corpus/saved_output/ 2>/dev/null || true

for target in scenario saved_output; do
    echo "== fuzzing $target for ${seconds}s"
    cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=65536
done
