#!/bin/bash
# Two faults of a run's own files, said rather than left unsaid (needs
# strace and the right to trace; run by tests/test_late_faults.rs where
# the machine allows). Usage:
#   tests/faults/gone_and_left.sh KOMPASS
#
# 1. An input removed after the run listed it: strace makes the opening
#    of in/b.csv fail with ENOENT. A kompass that says so names the file
#    as listed and removed since ("run again"); one that does not says
#    only "No such file or directory", for a file the user named.
# 2. A failed run (every row rejected, exit 2) whose staging folder cannot
#    be removed: strace makes every unlinkat and rmdir fail with EIO. A
#    kompass that says so warns that its unfinished output is left for the
#    next run, which removes it; one that does not leaves it unsaid.
# 3. The same, where a killed run's staging folder (named in the lock file)
#    could not be removed either: the lock file keeps naming the killed
#    run, so the next run would not remove this one's; a kompass that says
#    so names the folder to remove by hand, not "the next run".
# Exits 1, saying what failed, when kompass does not behave so.
status=0; fail() { echo "FAILED: $*"; status=1; }
K=$(realpath "$1"); P=$(mktemp -d /tmp/kompass-gone.XXXXXX); cd "$P" || exit 1
trap 'cd /; rm -rf "$P"' EXIT
mkdir in
printf 'municipality_code,eval_year,scale,item,score\n0114,2012,new,1,50\n' > in/a.csv
printf 'municipality_code,eval_year,scale,item,score\n0115,2012,new,1,60\n' > in/b.csv
strace -f -qq -o "$P/strace1.txt" -P in/b.csv -e trace=openat -e inject=openat:error=ENOENT \
  "$K" validate -i in -o out -q 2> "$P/err1.txt"
code=$?; cat "$P/err1.txt"
[ "$code" = 1 ] || fail "the run with an input gone: exit $code, not 1"
grep -q "in/b.csv: No such file or directory (os error 2): it was there when the run listed \
its inputs, and was removed or renamed since; run again" "$P/err1.txt" \
  || fail "no word that in/b.csv went after it was listed"
printf 'municipality_code,eval_year,scale,item,score\n0114,2012,new,1,500\n' > bad.csv
strace -f -qq -o "$P/strace2.txt" -e trace=unlinkat,rmdir -e inject=unlinkat:error=EIO \
  -e inject=rmdir:error=EIO "$K" run -i bad.csv -o out2 -q 2> "$P/err2.txt"
code=$?; cat "$P/err2.txt"
[ "$code" = 2 ] || fail "the run with every row rejected: exit $code, not 2"
grep -q "warning: this run's unfinished output could not be removed (.*\.out2\.tmp-.*); the \
next run on this folder removes it" "$P/err2.txt" || fail "no word of the staging folder left"
ls -A | grep -q '^\.out2\.tmp-' || fail "strace did not keep the staging folder (no test)"
printf 'municipality_code,eval_year,scale,item,score\n0114,2012,new,1,50\n' > bad.csv
"$K" run -i bad.csv -o out2 -q --charts none --report none; code=$?
[ "$code" = 0 ] || fail "the next run: exit $code"
left=$(ls -A | grep -e '^\.out2\.' | tr '\n' ' ')
[ -z "$left" ] || fail "left beside the output after the next run: $left"
printf 'municipality_code,eval_year,scale,item,score\n0114,2012,new,1,500\n' > bad.csv
printf 'kompass lock file: a run is writing the folder beside it, pid 4194999\n' > .out3.lock
mkdir .out3.tmp-4194999 && touch .out3.tmp-4194999/averages.csv
strace -f -qq -o "$P/strace3.txt" -e trace=unlinkat,rmdir -e inject=unlinkat:error=EIO \
  -e inject=rmdir:error=EIO "$K" run -i bad.csv -o out3 -q 2> "$P/err3.txt"
code=$?; cat "$P/err3.txt"
[ "$code" = 2 ] || fail "the run with a killed run's leftovers: exit $code, not 2"
grep -q "warning: what an earlier run left beside the output" "$P/err3.txt" \
  || fail "no word of the killed run's leftovers"
grep -q "warning: this run's unfinished output could not be removed (.*); remove \
.*\.out3\.tmp-[0-9]* yourself" "$P/err3.txt" || fail "no word to remove the staging folder by hand"
grep -q "the next run on this folder removes it" "$P/err3.txt" \
  && fail "said the next run removes a staging folder the lock file does not name"
exit $status
