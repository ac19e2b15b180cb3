#!/bin/bash
# `kompass synth` on storage that refuses writes only on their way to the
# disk (needs root: tmpfs, a loop device, mkfs.ext4; run by
# tests/test_late_faults.rs where the machine allows). Usage:
#   tests/faults/late_write_error_synth.sh KOMPASS
#
# As in late_write_error.sh, the output is on a thin volume whose storage
# is full (thin_volume.sh). A synth that waits for its files to reach the
# disk before it puts the finished meta/truth.json in place exits 1 naming
# the file ("…/s/evaluations.csv: No space left on device" or
# "Input/output error", or whichever write was refused first) and leaves
# the provisional truth in place; one that does not exits 0 with a
# finished truth listing files not as written.
# (Which write is refused first depends on when the kernel writes back:
# where it is the last, the folder's, a synth that put the finished truth
# in place before that sync (as until 2026-12-01) is caught only then.)
# Exits 1, saying what failed, when kompass does not behave so.
status=0; fail() { echo "FAILED: $*"; status=1; }
K=$(realpath "$1"); D=$(mktemp -d /tmp/kompass-latewrite-synth.XXXXXX)
. "$(dirname "$0")/thin_volume.sh" || exit 1
thin_up
thin_fill
# 3,000 evaluations: about 3.4 MB of exports, many times what is left.
"$K" synth -n 3000 --seed 3 -q -o $D/thin/s 2> $D/err.txt; code=$?
cat $D/err.txt; echo "synth: exit $code"
echo "the volume under the image after synth: $(thin_free) KB free"
[ "$code" = 1 ] || fail "synth's exit is $code, not 1"
# Which write the storage refuses first (an export, meta/faults.csv, the
# folder's entries at the end) depends on when the kernel writes back.
grep -qE "thin/s[^:]*: (Input/output error|No space left on device)" $D/err.txt \
  || fail "the error names nothing of the output"
if grep -q '"complete":false' $D/thin/s/meta/truth.json 2>/dev/null; then
  echo "meta/truth.json: provisional"
else
  fail "meta/truth.json: not the provisional record ($(head -c 80 $D/thin/s/meta/truth.json 2>&1))"
fi
exit $status
