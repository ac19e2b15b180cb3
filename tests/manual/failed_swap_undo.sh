#!/bin/bash
# A swap that fails where the system has no exchange, and whose undo fails
# too (a by-hand check; needs strace and the right to trace). Usage:
#   tests/manual/failed_swap_undo.sh KOMPASS
#
# strace makes renameat2 (the exchange) fail with EINVAL, so kompass takes
# its two-rename fallback, and every rename(2) from the sixth on (this
# run's four `.partial` renames come first) fail with EIO: the output is
# renamed aside, the new output cannot be put in its place, and putting
# the previous one back fails too. A kompass that says where the previous
# output is and leaves its lock file for the next run prints the place
# (".out.old-<pid>"), and the next run puts it back: "notes.txt: note".
# One that does not says only "Input/output error", and the next run
# writes a new output without the user's note: "notes.txt: MISSING".
C=$(cd "$(dirname "$0")/../../data" && pwd)/kompass.example.toml
K=$(realpath "$1"); P=/tmp/kompass-undo; rm -rf $P; mkdir -p $P; cd $P || exit 1
R=("$K" run --config "$C" -q --charts none --report none --out $P/out)
"${R[@]}"; echo note > out/notes.txt
strace -f -qq -o $P/strace.txt -e trace=rename,renameat2 -e inject=renameat2:error=EINVAL \
  -e inject=rename:error=EIO:when=6+ "${R[@]}" --force
echo "failed run: exit $?; renames made to fail: $(grep -c INJECTED $P/strace.txt)"
echo "beside the output: $(ls -A $P | grep -v strace.txt | tr '\n' ' ')"
"${R[@]}"; echo "next run: exit $?"
echo "notes.txt: $(cat out/notes.txt 2>/dev/null || echo MISSING)"
echo "beside the output: $(ls -A $P | grep -v strace.txt | tr '\n' ' ')"
cd /; rm -rf $P
