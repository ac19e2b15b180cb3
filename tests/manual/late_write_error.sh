#!/bin/bash
# A write the storage refuses only on its way to the disk (a by-hand check;
# needs root: tmpfs, a loop device, mkfs.ext4). Usage:
#   tests/manual/late_write_error.sh KOMPASS
#
# The output folder is on an ext4 image without a journal, on a 12 MB
# tmpfs: a thin-provisioned volume. A first run writes a good output; then
# the tmpfs is filled, so that the image's file system still has room but
# the volume under it has none, and a second run (--force) writes into it.
# A kompass that checks that its output reached the disk before the swap
# (syncfs) fails with exit 1 and leaves the first output whole: "previous
# output: whole", no hash mismatches. One that does not ends with exit 0
# and the second run's output in place, some of it not as written:
# "previous output: GONE" and outputs unlike their manifest's hashes.
C=$(cd "$(dirname "$0")/../../data" && pwd)/kompass.example.toml
K=$(realpath "$1"); D=/tmp/kompass-latewrite
. "$(dirname "$0")/thin_volume.sh"
thin_up
R=("$K" run --config "$C" -q --charts none --report none -o $D/thin/p/out)
"${R[@]}" && sync
echo mine > $D/thin/p/out/notes.txt; sync
sha256sum $D/thin/p/out/manifest.json > $D/first.sum
thin_fill
errors() { dmesg 2>/dev/null | grep -c "I/O error"; }
before=$(errors)
"${R[@]}" --force; echo "second run: exit $?"
sync
echo "kernel I/O errors writing the image meanwhile: $(( $(errors) - before ))"
umount $D/thin; rm $D/back/filler; echo 3 > /proc/sys/vm/drop_caches
mount -o loop $D/back/img $D/thin
cd $D/thin/p/out || exit 1
if sha256sum -c --quiet $D/first.sum 2>/dev/null; then
  echo "previous output: whole"
else
  echo "previous output: GONE (replaced by the second run's)"
fi
# The manifest's hashes are BLAKE3 (Python's `blake3` package).
python3 -c 'import blake3' 2>/dev/null || pip install -q blake3
python3 -c '
import json, blake3, sys
try:
    m = json.load(open("manifest.json"))
except ValueError:
    sys.exit(print("manifest.json: not as written (unreadable)"))
bad = [o["path"] for o in m["outputs"] if "blake3" not in o or
       blake3.blake3(open(o["path"], "rb").read()).hexdigest() != o["blake3"]]
print("outputs unlike their manifest hash:", bad or "none")'
echo "notes.txt: $(cat notes.txt 2>/dev/null || echo MISSING)"
cd /
ls -a $D/thin/p
umount $D/thin; umount $D/back; rm -rf $D
