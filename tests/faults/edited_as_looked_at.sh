#!/bin/bash
# An output of kompass's edited in the instant after the run looked at it
# (needs strace and the right to trace; run by tests/test_late_faults.rs
# where the machine allows). Usage:
#   tests/faults/edited_as_looked_at.sh KOMPASS
#
# Before its swap a run looks at each output of the previous run (size and
# modification time against the manifest) to tell which are still as it
# wrote them. strace holds the thread that looked at out/rejects.csv for
# 1.5 s after its lstat (statx with AT_SYMLINK_NOFOLLOW) while a line is
# added to the file. A kompass that remembers the file as it looked at it
# finds it changed as the previous output is gone through and keeps the
# edit (rejects.csv.kept, with a `kept:` warning); one that read the size
# and time again afterwards took the edit for its own output and removed it.
# Exits 1, saying what failed, when kompass does not behave so.
. "$(dirname "$0")/common.sh" looked "$1" || exit 1
printf 'municipality_code,eval_year,scale,item,score\n0114,2012,new,1,50\n' > in.csv
"$K" run "${opts[@]}" -o out || fail "the first run"
printf 'municipality_code,eval_year,scale,item,score\n0114,2012,new,1,60\n' > in.csv
strace -f -qq -o "$P/strace.txt" -P out/rejects.csv -e trace=statx \
  -e inject=statx:delay_exit=1500000 "$K" run "${opts[@]}" -o out 2> "$P/err.txt" &
tracer=$!
edited=
for _ in $(seq 1 1500); do
  if grep -q 'rejects.csv".*AT_SYMLINK_NOFOLLOW' "$P/strace.txt" 2>/dev/null; then
    echo MYEDIT >> out/rejects.csv; edited=1; break
  fi
  sleep 0.01
done
[ -n "$edited" ] || fail "the run's look at out/rejects.csv was not seen"
wait $tracer; code=$?; cat "$P/err.txt"
[ "$code" = 0 ] || fail "exit $code"
found=$(grep -l MYEDIT out/rejects.csv* 2>/dev/null | tr '\n' ' ')
[ "$found" = "out/rejects.csv.kept " ] || fail "the edit is in '$found', not rejects.csv.kept"
grep -q "kept: rejects.csv" "$P/err.txt" || fail "no word of rejects.csv kept"
grep -q 60 out/averages.csv || fail "the new output is not in place"
left=$(ls -A | grep -e '^\.out\.' | tr '\n' ' ')
[ -z "$left" ] || fail "left beside the output: $left"
exit $status
