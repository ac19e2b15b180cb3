#!/bin/bash
# Interrupt during the post-swap cleanup (needs strace and the right to
# trace; run by tests/test_late_faults.rs where the machine allows). Usage:
#   tests/faults/interrupt_during_retire.sh KOMPASS
#
# A run over the shipped sample replaces an output holding two files of the
# user's (a.txt, b.txt). strace slows the hard links that carry them over
# (0.4 s each), so that a note saved meanwhile (late.txt) is only in the
# previous output at the swap, and slows the unlink(2) calls with which the
# previous output is gone through (0.5 s each; remove_dir_all's unlinkat(2)
# is not slowed). SIGINT comes as the summary is printed, while the previous
# output is still being gone through. A kompass that keeps what was saved
# during the run ends with "late.txt: late" (and a `kept:` warning); one that
# removes the rest of the previous output on an interrupt, "late.txt: MISSING".
# Exits 1, saying what failed, when kompass does not behave so.
status=0; fail() { echo "FAILED: $*"; status=1; }
S=$(cd "$(dirname "$0")/../../data/sample/se-excel" && pwd)
K=$(realpath "$1"); D=$(mktemp -d /tmp/kompass-intdemo.XXXXXX); cd "$D" || exit 1
trap 'cd /; rm -rf "$D"' EXIT
"$K" run -i "$S" -o res --charts none --report none -q >/dev/null 2>&1 || fail "first run: exit $?"
echo mine > res/a.txt; echo mine > res/b.txt
strace -f -qq -o /dev/null -e trace=link,linkat,unlink,unlinkat \
  -e inject=link,linkat:delay_enter=400000 -e inject=unlink:delay_enter=500000 \
  "$K" run -i "$S" -o res --charts none --report none --force > out.txt 2> err.txt &
TRACER=$!
# kompass: strace's child.
PID=
for _ in $(seq 1 500); do
  PID=$(pgrep -P "$TRACER") && break
  sleep 0.02
done
[ -n "$PID" ] || fail "kompass did not start"
# Saved once the carrying has begun (a.txt carried, b.txt not yet).
saved=
for _ in $(seq 1 1000); do
  [ -e ".res.tmp-$PID/a.txt" ] && { echo late > res/late.txt; saved=1; break; }
  sleep 0.02
done
[ -n "$saved" ] || fail "the carrying was not seen"
# The summary is printed while the previous output is gone through.
for _ in $(seq 1 400); do [ -s out.txt ] && break; sleep 0.05; done
[ -n "$PID" ] && kill -INT "$PID"
wait $TRACER; code=$?
tail -1 err.txt
echo "interrupted run: exit $code"
[ "$code" = 130 ] || fail "the interrupted run's exit is $code, not 130"
grep -q "kept: late.txt" err.txt || fail "no word of late.txt kept"
"$K" run -i "$S" -o res --charts none --report none --force -q || fail "next run: exit $?"
late=$(cat res/late.txt 2>/dev/null || echo MISSING); echo "late.txt: $late"
[ "$late" = late ] || fail "late.txt is lost"
beside=$(ls -A . | grep '^\.res' || echo nothing); echo "beside the output: $beside"
[ "$beside" = nothing ] || fail "left beside the output: $beside"
exit $status
