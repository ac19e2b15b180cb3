#!/bin/bash
# The previous output's manifest removed (case 1) or broken (case 2)
# while a run works (needs strace and the right to trace; run by
# tests/test_late_faults.rs where the machine allows). Usage:
#   tests/faults/manifest_gone_during_run.sh KOMPASS
#
# strace holds the run 1.5 s at its syncfs(2), just before it looks at the
# previous output to tell which files in it are its own; meanwhile
# out/manifest.json is removed, or has a line added. A kompass that
# judges the previous outputs by the manifest it read at its start
# replaces them (and keeps a broken manifest as manifest.json.kept); one
# that found no manifest took every previous output for the user's and
# carried it into the new output as `<name>.kept`.
# Exits 1, saying what failed, when kompass does not behave so.
. "$(dirname "$0")/common.sh" gone "$1" || exit 1
for case in 1 2; do
  rm -rf out; printf 'municipality_code,eval_year,scale,item,score\n0114,2012,new,1,50\n' > in.csv
  "$K" run "${opts[@]}" -o out || fail "case $case: the first run"
  strace -f -qq -o /dev/null -e trace=syncfs -e inject=syncfs:delay_enter=1500000 \
    "$K" run "${opts[@]}" -o out --force 2> "$P/err.txt" &
  tracer=$!
  done=
  for _ in $(seq 1 1500); do
    if ls .out.tmp-*/manifest.json >/dev/null 2>&1; then
      if [ "$case" = 1 ]; then rm out/manifest.json; else echo MYEDIT >> out/manifest.json; fi
      done=1; break
    fi
    sleep 0.01
  done
  [ -n "$done" ] || fail "case $case: the run's new manifest was not seen"
  wait $tracer; code=$?; cat "$P/err.txt"
  [ "$code" = 0 ] || fail "case $case: exit $code"
  kept=$(ls out | grep '\.kept' | tr '\n' ' ')
  if [ "$case" = 1 ]; then
    [ -z "$kept" ] || fail "case 1: previous outputs kept as the user's: $kept"
    ! grep -q "kept:" "$P/err.txt" || fail "case 1: a kept: warning"
  else
    [ "$kept" = "manifest.json.kept " ] || fail "case 2: kept '$kept', not manifest.json.kept alone"
    grep -q MYEDIT out/manifest.json.kept 2>/dev/null || fail "case 2: the manifest's edit is lost"
  fi
  left=$(ls -A | grep -e '^\.out\.' | tr '\n' ' ')
  [ -z "$left" ] || fail "case $case: left beside the output: $left"
done
exit $status
