#!/bin/bash
# A generation killed while it puts its files in place (needs strace and
# the right to trace; run by tests/test_late_faults.rs where the machine
# allows). Usage:
#   tests/faults/interrupted_synth.sh KOMPASS
#
# `synth --files 4` into gen/; strace kills the generation (SIGKILL) as
# it enters the rename that puts evaluations_003.csv in place: 001, 002
# and 003 are listed in its provisional meta/truth.json with their
# BLAKE3 (a file is listed, whole, before it is put in place), 001 and
# 002 are in place. A file the user then puts at evaluations_003.csv, and
# an edit of evaluations_001.csv, each stop the next generation (exit 2)
# and stay. A kompass that listed a file before putting it in place,
# without its hash, removed both and exited 0. Then killed as it lists
# evaluations_003.csv: the truth left at its temporary name lists it, and
# a next generation of one file goes by that truth; where that listing
# fails (no space), the file is not put in place; killed at its truth's
# first rename, the next one goes ahead; killed as it removes an earlier
# generation, a run refuses the folder. Exits 1, saying what failed,
# otherwise.
. "$(dirname "$0")/common.sh" interrupted-synth "$1"
(strace -f -qq -o trace.log -P gen/.evaluations_003.csv.partial -e trace=rename \
  -e inject=rename:error=EIO:signal=SIGKILL "$K" synth -n 2000 --files 4 -q -o gen) 2>/dev/null
code=$?
[ "$code" = 137 ] || { fail "the generation's exit is $code, not 137 (killed)"; shown trace.log; }
[ -e gen/evaluations_002.csv ] || fail "evaluations_002.csv is not in place"
[ -e gen/evaluations_003.csv ] && fail "evaluations_003.csv is in place: not killed at its rename"
# A file of the user's where the killed generation had none.
echo "USER DATA" > gen/evaluations_003.csv
"$K" synth -n 2000 --files 4 -q -o gen 2> err.txt; code=$?
echo "with the user's evaluations_003.csv: exit $code: $(cat err.txt)"
[ "$code" = 2 ] || fail "the next generation's exit is $code, not 2"
[ "$(cat gen/evaluations_003.csv)" = "USER DATA" ] || fail "the user's evaluations_003.csv is gone"
mv gen/evaluations_003.csv mine.csv
# A finished file edited since.
echo "9999,my test row" >> gen/evaluations_001.csv
"$K" synth -n 2000 --files 4 -q -o gen 2> err.txt; code=$?
echo "with evaluations_001.csv edited: exit $code: $(cat err.txt)"
[ "$code" = 2 ] || fail "the next generation's exit is $code, not 2"
grep -q "evaluations_001.csv was changed since" err.txt || fail "no word of the edit"
tail -1 gen/evaluations_001.csv | grep -q "my test row" || fail "the edit is gone"
mv gen/evaluations_001.csv edited.csv
"$K" synth -n 2000 --files 4 -q -o gen || fail "the generation after: exit $?"
left=$(ls -A gen gen/meta | grep partial || echo nothing); echo "partial files left: $left"
[ "$left" = nothing ] || fail "left: $left"
# Killed as it lists evaluations_003.csv, written whole but not yet in
# place (the truth's fourth rename): the truth at its temporary name lists
# it with its BLAKE3, and a next generation of one file, which does not
# plan that name, removes the rest (a kompass that listed a file once in
# place refused one killed there, just put in place and unlisted, exit 2).
rm -rf gen
(strace -f -qq -o trace.log -P gen/meta/.truth.json.partial -e trace=rename \
  -e inject=rename:error=EIO:signal=SIGKILL:when=4 "$K" synth -n 2000 --files 4 -q -o gen) 2>/dev/null
[ -e gen/.evaluations_003.csv.partial ] && [ ! -e gen/evaluations_003.csv ] ||
  fail "not killed as it listed evaluations_003.csv, before putting it in place"
grep -q evaluations_003.csv gen/meta/.truth.json.partial || fail "the truth left aside does not list evaluations_003.csv"
"$K" synth -n 2000 -q -o gen 2> err.txt; code=$?
echo "with evaluations_003.csv listed aside, one file: exit $code: $(cat err.txt)"
[ "$code" = 0 ] || fail "the next generation's exit is $code, not 0"
left=$(cd gen && ls -A . meta | tr '\n' ' ')
[ "$left" = ".: evaluations.csv meta  meta: faults.csv register.csv truth.json " ] || fail "left: $left"
# The same, with evaluations_002.csv edited since, then a file of the
# user's at evaluations_003.csv: refused, nothing removed.
rm -rf gen
(strace -f -qq -o trace.log -P gen/meta/.truth.json.partial -e trace=rename \
  -e inject=rename:error=EIO:signal=SIGKILL:when=4 "$K" synth -n 2000 --files 4 -q -o gen) 2>/dev/null
echo "9999,my test row" >> gen/evaluations_002.csv
"$K" synth -n 2000 -q -o gen 2> err.txt; code=$?
[ "$code" = 2 ] || fail "over an edited evaluations_002.csv, exit $code, not 2"
grep -q "evaluations_002.csv was changed since" err.txt || fail "no word of the edit: $(cat err.txt)"
mv gen/evaluations_002.csv edited2.csv
echo "USER DATA" > gen/evaluations_003.csv
"$K" synth -n 2000 -q -o gen 2> err.txt; code=$?
[ "$code" = 2 ] || fail "over the user's evaluations_003.csv, exit $code, not 2"
[ "$(cat gen/evaluations_003.csv)" = "USER DATA" ] || fail "the user's evaluations_003.csv is gone"
[ -e gen/evaluations_001.csv ] && [ -e gen/meta/.truth.json.partial ] || fail "a refused generation removed files"
# Killed as it puts evaluations_003.csv in place (listed), with a truth
# left half-written (empty) at its temporary name: removed, and the
# generation goes ahead (where it wrote its truth before removing what is
# left there, that failed, `File exists`, exit 1, every time after).
rm -rf gen
(strace -f -qq -o trace.log -P gen/.evaluations_003.csv.partial -e trace=rename \
  -e inject=rename:error=EIO:signal=SIGKILL "$K" synth -n 2000 --files 4 -q -o gen) 2>/dev/null
: > gen/meta/.truth.json.partial
"$K" synth -n 2000 --files 4 -q -o gen 2> err.txt || fail "over a half-written truth: exit $?: $(cat err.txt)"
[ -e gen/meta/.truth.json.partial ] && fail "the half-written truth is left"
# The truth that would list evaluations_003.csv refused (ENOSPC): the
# file is not put in place, and is removed with the generation's
# temporary files.
rm -rf gen
strace -f -qq -o trace.log -P gen/meta/.truth.json.partial -e trace=rename \
  -e inject=rename:error=ENOSPC:when=4 "$K" synth -n 2000 --files 4 -q -o gen 2>/dev/null
code=$?
[ "$code" = 1 ] || fail "with the truth refused, exit $code, not 1"
[ -e gen/evaluations_003.csv ] && fail "evaluations_003.csv is left in place unlisted"
"$K" synth -n 2000 -q -o gen || fail "the generation after the refused truth: exit $?"
# Killed at the truth's first rename, into a new folder and over a finished
# generation: the truth left at its temporary name is the next one's to
# remove (it was refused: "holds no earlier kompass synth generation").
rm -rf gen
for over in new finished; do
  (strace -f -qq -o trace.log -e trace=rename -e inject=rename:error=EIO:signal=SIGKILL:when=1 \
    "$K" synth -n 2000 --files 4 -q -o gen) 2>/dev/null
  [ -e gen/meta/.truth.json.partial ] || fail "($over) no truth left at its temporary name"
  "$K" synth -n 2000 --files 4 -q -o gen 2> err.txt || fail "($over) the next generation: exit $?: $(cat err.txt)"
done
# Killed as it removes the earlier generation's evaluations_002.csv:
# what is left of that generation is listed by a provisional truth, not
# by its finished one (which a run read as whole, 2 files of 4: exit 0), a
# run refuses the folder (exit 2), and the next generation goes ahead.
rm -rf gen
"$K" synth -n 2000 --files 4 -q -o gen || fail "the first generation: exit $?"
(strace -f -qq -o trace.log -P gen/evaluations_002.csv -e trace=unlink,unlinkat \
  -e inject=unlink,unlinkat:error=EIO:signal=SIGKILL "$K" synth -n 2000 --seed 9 --files 4 -q -o gen) 2>/dev/null
[ -e gen/evaluations_001.csv ] && fail "evaluations_001.csv is there: not killed as it removed evaluations_002.csv"
grep -q '"complete":false' gen/meta/truth.json || fail "the truth left says the generation is complete"
"$K" run -i gen -q --charts none --report none -o run 2> err.txt; code=$?
echo "a run of the folder left: exit $code: $(cat err.txt)"
[ "$code" = 2 ] || fail "a run of the folder left: exit $code, not 2"
grep -q "not finished" err.txt || fail "no word of the unfinished generation"
"$K" synth -n 2000 --seed 9 --files 4 -q -o gen || fail "the generation after: exit $?"
left=$(cd gen && ls -A . meta | tr '\n' ' ')
[ "$left" = ".: evaluations_001.csv evaluations_002.csv evaluations_003.csv evaluations_004.csv meta  meta: faults.csv register.csv truth.json " ] || fail "left: $left"
# The storage refusing the finished truth's sync (syncfs: EIO): exit 1,
# the provisional truth in place and the finished one removed from its
# temporary name, so that a run refuses the folder (it went by the
# finished one left there and read the folder as finished, exit 0).
rm -rf g3
strace -f -qq -o trace.log -e trace=syncfs -e inject=syncfs:error=EIO \
  "$K" synth -n 300 --files 2 -q -o g3 2>/dev/null
code=$?
[ "$code" = 1 ] || fail "with the sync refused, exit $code, not 1"
[ -e g3/meta/.truth.json.partial ] && fail "the finished truth is left at its temporary name"
"$K" validate -i g3 -q -o v3 2>/dev/null; code=$?
[ "$code" = 2 ] || fail "a run of the folder whose sync was refused: exit $code, not 2"
# Killed at the finished truth's rename: a next generation refused (an
# export edited since) leaves that truth where it is.
rm -rf gen
(strace -f -qq -o trace.log -P gen/meta/.truth.json.partial -e trace=rename \
  -e inject=rename:error=EIO:signal=SIGKILL:when=8 "$K" synth -n 2000 --files 4 -q -o gen) 2>/dev/null
echo "9999,my test row" >> gen/evaluations_001.csv
"$K" synth -n 2000 --files 4 -q -o gen 2>/dev/null; code=$?
[ "$code" = 2 ] || fail "over an edited export, exit $code, not 2"
[ -e gen/meta/.truth.json.partial ] || fail "a refused generation removed the truth left aside"
exit $status
