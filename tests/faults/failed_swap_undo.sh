#!/bin/bash
# A swap that fails where the system has no exchange, and whose undo fails
# too (needs strace and the right to trace; run by tests/test_late_faults.rs
# where the machine allows). Usage:
#   tests/faults/failed_swap_undo.sh KOMPASS
#
# strace makes renameat2 (the exchange) fail with EINVAL, so kompass takes
# its two-rename fallback, and every rename(2) of the main thread from
# the ninth on (strace counts each thread's calls: the main thread's five
# `.partial` renames come first, of averages, group_differences,
# benchmarks, role_models and validation, then the new output's rename
# to the old output's name before the exchange and back after it) fail
# with EIO: the output is
# renamed aside, the new output cannot be put in its place, and putting
# the previous one back fails too. A kompass that says where the previous
# output is and leaves its lock file for the next run prints the place
# (".out.old-<pid>"), and the next run puts it back: "notes.txt: note".
# One that does not says only "Input/output error", and the next run
# writes a new output without the user's note: "notes.txt: MISSING".
# Exits 1, saying what failed, when kompass does not behave so.
status=0; fail() { echo "FAILED: $*"; status=1; }
C=$(cd "$(dirname "$0")/../../data" && pwd)/kompass.example.toml
K=$(realpath "$1"); P=$(mktemp -d /tmp/kompass-undo.XXXXXX); cd "$P" || exit 1
trap 'cd /; rm -rf "$P"' EXIT
R=("$K" run --config "$C" -q --charts none --report none --out "$P/out")
"${R[@]}" || fail "first run: exit $?"
echo note > out/notes.txt
strace -f -qq -o "$P/strace.txt" -e trace=rename,renameat2 -e inject=renameat2:error=EINVAL \
  -e inject=rename:error=EIO:when=9+ "${R[@]}" --force 2> "$P/err.txt"
code=$?; cat "$P/err.txt"
echo "failed run: exit $code; renames made to fail: $(grep -c INJECTED "$P/strace.txt")"
[ "$code" = 1 ] || fail "the failed run's exit is $code, not 1"
grep -q "the previous output is at $P/.out.old-" "$P/err.txt" \
  && grep -q "putting it back failed" "$P/err.txt" || fail "no word of where the previous output is"
beside=$(ls -A "$P" | grep -v -e strace.txt -e err.txt | tr '\n' ' ')
echo "beside the output: $beside"
"${R[@]}"; code=$?; echo "next run: exit $code"
[ "$code" = 0 ] || fail "the next run's exit is $code"
notes=$(cat out/notes.txt 2>/dev/null || echo MISSING); echo "notes.txt: $notes"
[ "$notes" = note ] || fail "the user's note is not back"
beside=$(ls -A "$P" | grep -v -e strace.txt -e err.txt | tr '\n' ' ')
echo "beside the output: $beside"
[ "$beside" = "out " ] || fail "left beside the output: $beside"
# 2. The rename back after the exchange failed (the seventh rename on fail):
#    the new output, already under the old output's name, is removed
#    there; the previous output is as it was and nothing is left beside it.
strace -f -qq -o "$P/strace.txt" -e trace=rename,renameat2 -e inject=renameat2:error=EINVAL \
  -e inject=rename:error=EIO:when=7+ "${R[@]}" --force 2> "$P/err.txt"
code=$?; cat "$P/err.txt"
[ "$code" = 1 ] || fail "case 2: the failed run's exit is $code, not 1"
grep -q "moving this run's output back to its staging folder failed too (.*); the previous \
output is as it was$" "$P/err.txt" || fail "case 2: no word of the failed move back"
beside=$(ls -A "$P" | grep -v -e strace.txt -e err.txt | tr '\n' ' ')
[ "$beside" = "out " ] || fail "case 2: left beside the output: $beside"
[ "$(cat out/notes.txt 2>/dev/null)" = note ] || fail "case 2: the user's note is gone"
exit $status
