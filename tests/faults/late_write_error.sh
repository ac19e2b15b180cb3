#!/bin/bash
# A write the storage refuses only on its way to the disk (needs root:
# tmpfs, a loop device, mkfs.ext4; run by tests/test_late_faults.rs where
# the machine allows). Usage:
#   tests/faults/late_write_error.sh KOMPASS
#
# The output folder is on an ext4 image without a journal, on a 12 MB
# tmpfs: a thin-provisioned volume. A first run writes a good output; then
# the tmpfs is filled, so that the image's file system still has room but
# the volume under it has none, and a second run (--force) writes into it.
# A kompass that checks that its output reached the disk before the swap
# (syncfs) fails with exit 1 and leaves the first output whole: "previous
# output: whole". One that does not ends with exit 0 and the second run's
# output in place, some of it not as written: "previous output: GONE".
# Exits 1, saying what failed, when kompass does not behave so.
status=0; fail() { echo "FAILED: $*"; status=1; }
C=$(cd "$(dirname "$0")/../../data" && pwd)/kompass.example.toml
K=$(realpath "$1"); D=$(mktemp -d /tmp/kompass-latewrite.XXXXXX)
. "$(dirname "$0")/thin_volume.sh" || exit 1
thin_up
R=("$K" run --config "$C" -q --charts none --report none -o $D/thin/p/out)
"${R[@]}" || fail "first run: exit $?"
sync
echo mine > $D/thin/p/out/notes.txt; sync
sha256sum $D/thin/p/out/manifest.json > $D/first.sum
thin_fill
"${R[@]}" --force; code=$?; echo "second run: exit $code"
[ "$code" = 1 ] || fail "the second run's exit is $code, not 1"
sync
# The image read back from the volume, not from the cache.
umount $D/thin; rm $D/back/filler; echo 3 > /proc/sys/vm/drop_caches
mount -o loop $D/back/img $D/thin
cd $D/thin/p/out || { fail "no output folder"; exit 1; }
if sha256sum -c --quiet $D/first.sum 2>/dev/null; then
  echo "previous output: whole"
else
  fail "previous output: GONE (replaced by the second run's)"
fi
notes=$(cat notes.txt 2>/dev/null || echo MISSING); echo "notes.txt: $notes"
[ "$notes" = mine ] || fail "the user's notes are lost"
beside=$(ls -A $D/thin/p | tr '\n' ' '); echo "beside the output: $beside"
[ "$beside" = "out " ] || fail "left beside the output: $beside"
exit $status
