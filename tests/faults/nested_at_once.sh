#!/bin/bash
# Two runs started at once on nested output folders, `-o out/sub` and
# `-o out`, each passing its first check of the folder before the other
# took its lock (needs strace and the right to trace; run by
# tests/test_late_faults.rs where the machine allows). Usage:
#   tests/faults/nested_at_once.sh KOMPASS
#
# strace holds the inner run for 3 s before it opens its lock file (its
# first check done: out did not exist), and holds the outer run, started
# 1 s later, for 5 s at its renames (its lock taken, its outputs
# written). The inner run then takes its lock while the outer one is
# writing out. A kompass that checks the folder again under its lock
# refuses the inner run (exit 2: inside the output folder of a run in
# progress) and the outer one ends as usual; one that does not writes
# out/sub into a folder the outer run then replaces.
# Exits 1, saying what failed, when kompass does not behave so.
. "$(dirname "$0")/common.sh" nested "$1" || exit 1
printf 'municipality_code,eval_year,scale,item,score\n0114,2012,new,1,50\n' > in.csv
strace -f -qq -o "$P/strace-inner.txt" -P "$P/out/.sub.lock" -e trace=openat \
  -e inject=openat:delay_enter=3000000:when=1 "$K" run "${opts[@]}" -o out/sub \
  2> "$P/err-inner.txt" &
inner=$!
sleep 1
strace -f -qq -o "$P/strace-outer.txt" -e trace=rename,renameat2 \
  -e inject=rename:delay_enter=5000000:when=1 -e inject=renameat2:delay_enter=5000000:when=1 \
  "$K" run "${opts[@]}" -o out 2> "$P/err-outer.txt" &
outer=$!
wait $inner; code_inner=$?
wait $outer; code_outer=$?
echo "inner run (-o out/sub): exit $code_inner"; cat "$P/err-inner.txt"
echo "outer run (-o out): exit $code_outer"; cat "$P/err-outer.txt"
held "$P/strace-inner.txt" "openat[(].*out/[.]sub[.]lock" \
  || { fail "strace did not hold the inner run at its lock file (no test)"; shown "$P/strace-inner.txt"; }
[ "$code_outer" = 0 ] || fail "the outer run: exit $code_outer, not 0"
[ "$code_inner" = 2 ] || fail "the inner run: exit $code_inner, not 2"
grep -q "out/sub: it is inside .*out, the output folder of a kompass run in progress" \
  "$P/err-inner.txt" || fail "the inner run did not say the outer one is writing out"
[ -f out/manifest.json ] || fail "no out/manifest.json"
[ -e out/sub ] && fail "out/sub was written into the folder the outer run replaces"
left=$(ls -A out | grep -e '^\.sub\.' | tr '\n' ' ')
[ -z "$left" ] || fail "left in out by the inner run: $left"
exit $status
