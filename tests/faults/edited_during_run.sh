#!/bin/bash
# An output of kompass's edited by the user while a run works (needs strace
# and the right to trace; run by tests/test_late_faults.rs where the
# machine allows). Usage:
#   tests/faults/edited_during_run.sh KOMPASS
#
# strace holds the run 2 s before its exchange (its user's files carried),
# while a line is added to out/rejects.csv. The run then ends as usual
# (case 1), or is interrupted with SIGINT while it waits (case 2). A
# kompass that tells the file changed since it looked keeps the edit
# (rejects.csv.kept after a finished run; rejects.csv itself, the previous
# output left, after an interrupted one); one that took it for its own
# output removed it with the old output. In case 1 a line is added to
# out/manifest.json too: kept as manifest.json.kept.
# Exits 1, saying what failed, when kompass does not behave so.
. "$(dirname "$0")/common.sh" edited "$1" || exit 1
for case in 1 2; do
  rm -rf out; printf 'municipality_code,eval_year,scale,item,score\n0114,2012,new,1,50\n' > in.csv
  "$K" run "${opts[@]}" -o out || fail "case $case: the first run"
  printf 'municipality_code,eval_year,scale,item,score\n0114,2012,new,1,60\n' > in.csv
  strace -f -qq -o "$P/strace.txt" -e trace=renameat2 \
    -e inject=renameat2:delay_enter=2000000:when=1 "$K" run "${opts[@]}" -o out 2> "$P/err.txt" &
  tracer=$!
  pid=
  for _ in $(seq 1 1000); do
    pid=$(grep -o 'pid [0-9]*' .out.lock 2>/dev/null | cut -c5-) && [ -n "$pid" ] && break
    sleep 0.02
  done
  # Once the run waits at its exchange (its output complete and renamed).
  for _ in $(seq 1 1000); do [ -e ".out.old-$pid/manifest.json" ] && break; sleep 0.02; done
  echo MYEDIT >> out/rejects.csv
  [ "$case" = 1 ] && echo MYEDIT >> out/manifest.json
  [ "$case" = 2 ] && kill -INT "$pid"
  wait $tracer; code=$?; cat "$P/err.txt"
  found=$(grep -l MYEDIT out/rejects.csv* 2>/dev/null | tr '\n' ' ')
  if [ "$case" = 1 ]; then
    [ "$code" = 0 ] || fail "case 1: exit $code"
    [ "$found" = "out/rejects.csv.kept " ] || fail "case 1: the edit is in '$found', not rejects.csv.kept"
    found=$(grep -l MYEDIT out/manifest.json* 2>/dev/null | tr '\n' ' ')
    [ "$found" = "out/manifest.json.kept " ] || fail "case 1: the manifest's edit is in '$found', not manifest.json.kept"
  else
    [ "$code" = 130 ] || fail "case 2: exit $code, not 130"
    [ -n "$found" ] || fail "case 2: the edit is lost"
  fi
  left=$(ls -A | grep -e '^\.out\.' | tr '\n' ' ')
  [ -z "$left" ] || fail "case $case: left beside the output: $left"
done
exit $status
