#!/bin/bash
# Interrupt during the post-swap cleanup (a by-hand check; needs strace and
# the right to trace). Usage: tests/manual/interrupt_during_retire.sh KOMPASS
#
# A run over the shipped sample replaces an output holding two files of the
# user's (a.txt, b.txt). strace slows the hard links that carry them over
# (0.4 s each), so that a note saved meanwhile (late.txt) is only in the
# previous output at the swap, and slows the unlink(2) calls with which the
# previous output is gone through (0.5 s each; remove_dir_all's unlinkat(2)
# is not slowed). SIGINT comes as the summary is printed, while the previous
# output is still being gone through. A kompass that keeps what was saved
# during the run ends with "late.txt: late" (and a `kept:` line); one that
# removes the rest of the previous output on an interrupt, "late.txt: MISSING".
S=$(cd "$(dirname "$0")/../../data/sample/se-excel" && pwd)
K=$(realpath "$1"); D=/tmp/kompass-intdemo; rm -rf $D; mkdir -p $D; cd $D || exit 1
$K run -i "$S" -o res --charts none --report none -q >/dev/null 2>&1
echo mine > res/a.txt; echo mine > res/b.txt
strace -f -qq -o /dev/null -e trace=link,linkat,unlink,unlinkat \
  -e inject=link,linkat:delay_enter=400000 -e inject=unlink:delay_enter=500000 \
  $K run -i "$S" -o res --charts none --report none --force > out.txt 2> err.txt &
sleep 0.3
PID=$(pgrep -n -f "^$K run -i $S")
# Saved once the carrying has begun (a.txt carried, b.txt not yet).
for _ in $(seq 1 100); do
  [ -e ".res.tmp-$PID/a.txt" ] && { echo late > res/late.txt; break; }
  sleep 0.05
done
# The summary is printed while the previous output is gone through.
for _ in $(seq 1 200); do [ -s out.txt ] && break; sleep 0.05; done
kill -INT "$PID"; wait
tail -1 err.txt; grep '^kept:' out.txt
$K run -i "$S" -o res --charts none --report none --force -q
echo "late.txt: $(cat res/late.txt 2>/dev/null || echo MISSING)"
echo "beside the output: $(ls -A . | grep '^\.res' || echo nothing)"
