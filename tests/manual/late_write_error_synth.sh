#!/bin/bash
# `kompass synth` on storage that refuses writes only on their way to the
# disk (a by-hand check; needs root: tmpfs, a loop device, mkfs.ext4).
# Usage:
#   tests/manual/late_write_error_synth.sh KOMPASS
#
# As in late_write_error.sh, the output is on a thin volume whose storage
# is full (thin_volume.sh). A synth that waits for its files to reach the
# disk before it writes meta/truth.json exits 1 naming the file ("…/s/
# evaluations.csv: Input/output error") and leaves the truth provisional;
# one that does not exits 0 with a finished truth listing files not as
# written.
K=$(realpath "$1"); D=/tmp/kompass-latewrite-synth
. "$(dirname "$0")/thin_volume.sh"
thin_up
thin_fill
"$K" synth -n 300 --seed 3 -q -o $D/thin/s; echo "synth: exit $?"
echo "meta/truth.json: $(grep -c evaluations_requested $D/thin/s/meta/truth.json 2>/dev/null | sed "s/^1$/a finished generation/;s/^0$/provisional/")"
umount $D/thin; umount $D/back; rm -rf $D
