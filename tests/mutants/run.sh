#!/bin/bash
# The suite once per mutant (tests/mutants/schema.py: apply it first):
#   bash tests/mutants/run.sh 1 2 3 ...   (none: every mutant)
# cargo-nextest with --fail-fast, so that a mutant a test notices ends at
# its first failure. One line per mutant in target/mutants/results.txt:
# its number, nextest's exit code (0: no test noticed it), seconds, and
# the first failing test (the file is new each run). The logs are beside it.
set -u
cd "$(dirname "$0")/../.."
if ! grep -q 'KOMPASS_MUTANT' src/lib.rs; then
  echo "no mutant schema in src/: python3 tests/mutants/schema.py apply first" >&2
  exit 2
fi
out=${CARGO_TARGET_DIR:-target}/mutants
mkdir -p "$out"
rm -f "$out/results.txt"
ids=("$@")
if [ ${#ids[@]} -eq 0 ]; then
  mapfile -t ids < <(python3 tests/mutants/schema.py list | awk '{print $1}')
fi
for k in "${ids[@]}"; do
  start=$(date +%s)
  KOMPASS_MUTANT=$k cargo nextest run --release --fail-fast --no-tests=pass >"$out/m$k.log" 2>&1
  rc=$?
  first=$(grep -m1 -E '^ +(FAIL|SIGSEGV|SIGABRT|TIMEOUT) ' "$out/m$k.log" | sed 's/  */ /g')
  echo "M$k rc=$rc $(($(date +%s) - start))s$first" | tee -a "$out/results.txt"
done
