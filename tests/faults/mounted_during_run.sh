#!/bin/bash
# A volume mounted inside the output folder while a run works (needs root
# for `mount --bind`, and strace; run by tests/test_late_faults.rs where
# the machine allows). Usage:
#   tests/faults/mounted_during_run.sh KOMPASS
#
# The output folder out is checked at the run's start with nothing
# mounted in it; strace holds the run for 3 s at its syncfs (its outputs
# written, the user's files not yet carried), and docs is bind-mounted at
# out/docs meanwhile. A kompass that looks again before carrying refuses
# (exit 2, the previous output as it was, the volume's file where it
# is); one that does not copies the volume's files into the new output
# and removes them from the volume with the old output.
# Exits 1, saying what failed, when kompass does not behave so.
status=0; fail() { echo "FAILED: $*"; status=1; }
. "$(dirname "$0")/held.sh" || exit 1
K=$(realpath "$1"); P=$(realpath "$(mktemp -d /tmp/kompass-mounted.XXXXXX)"); cd "$P" || exit 1
trap 'cd /; awk "{print \$5}" /proc/self/mountinfo | grep "^$P/" | sort -r | xargs -r -n1 umount -l
  rm -rf "$P"' EXIT
printf 'municipality_code,eval_year,scale,item,score\n0114,2012,new,1,50\n' > in.csv
mkdir docs && echo "my thesis" > docs/thesis.txt
opts=(-i in.csv -q --charts none --report none)
"$K" run "${opts[@]}" -o out || fail "the first run"
mkdir out/docs
cp out/averages.csv before.csv
printf 'municipality_code,eval_year,scale,item,score\n0114,2012,new,1,60\n' > in.csv
strace -f -qq -o "$P/strace.txt" -e trace=syncfs -e inject=syncfs:delay_enter=3000000:when=1 \
  "$K" run "${opts[@]}" -o out 2> "$P/err.txt" &
run=$!
sleep 1
mount --bind docs out/docs || fail "mount --bind (no test)"
wait $run; code=$?
cat "$P/err.txt"
held "$P/strace.txt" "syncfs[(]" \
  || { fail "strace did not hold the run at its syncfs (no test)"; shown "$P/strace.txt"; }
[ "$code" = 2 ] || fail "the run: exit $code, not 2"
grep -q "out/docs inside it is a mount point.*mounted while this run worked; the previous \
output is left as it was" "$P/err.txt" || fail "no word of the volume mounted during the run"
[ "$(cat docs/thesis.txt 2>/dev/null)" = "my thesis" ] || fail "docs/thesis.txt is gone or changed"
cmp -s before.csv out/averages.csv || fail "the previous output was replaced"
left=$(ls -A | grep -e '^\.out\.' | tr '\n' ' ')
[ -z "$left" ] || fail "left beside the output: $left"
umount -l out/docs
# 2. Mounted while the user's files are carried (each hard link held
#    0.4 s; zdocs, a folder of the user's, carried after a1..a5): refused
#    when the carrying comes to it (a bind mount has the device number of
#    the folder it is in, so the mount points are read again).
for i in 1 2 3 4 5; do echo $i > out/a$i.txt; done; mkdir out/zdocs
strace -f -qq -o "$P/strace2.txt" -e trace=linkat -e inject=linkat:delay_enter=400000 \
  "$K" run "${opts[@]}" -o out --force 2> "$P/err2.txt" &
run=$!
sleep 0.7; mount --bind docs out/zdocs || fail "case 2: mount --bind (no test)"
wait $run; code=$?; cat "$P/err2.txt"
[ "$code" = 2 ] || fail "case 2: exit $code, not 2"
grep -q "out/zdocs: a volume was mounted here while this run carried your files" "$P/err2.txt" \
  || fail "case 2: no word of the volume mounted during the carrying"
[ "$(cat docs/thesis.txt 2>/dev/null)" = "my thesis" ] || fail "case 2: docs/thesis.txt is gone"
umount -l out/zdocs
# 3. Mounted after the carrying (the run held 2 s at its exchange), over a
#    folder whose file has the volume's bytes: the old output is not gone
#    through there; what is left is named, with the volume in it.
mkdir -p out/same && echo "my thesis" > out/same/thesis.txt
strace -f -qq -o "$P/strace3.txt" -e trace=renameat2 \
  -e inject=renameat2:delay_enter=2000000:when=1 "$K" run "${opts[@]}" -o out --force 2> "$P/err3.txt" &
run=$!
sleep 1; mount --bind docs out/same || fail "case 3: mount --bind (no test)"
wait $run; code=$?; cat "$P/err3.txt"
[ "$code" = 0 ] || fail "case 3: exit $code"
[ "$(cat docs/thesis.txt 2>/dev/null)" = "my thesis" ] || fail "case 3: docs/thesis.txt is gone"
grep -q "a volume is mounted inside it, at .*/same: unmount it first" "$P/err3.txt" \
  || fail "case 3: the leftover's warning does not name the volume in it"
exit $status
