# Sourced by the late-write scripts: a thin-provisioned volume at $D/thin
# (an ext4 image without a journal, on a 12 MB tmpfs at $D/back), made
# fresh by thin_up, the tmpfs filled by thin_fill so that the image's
# file system still has room but the volume under it has none (100 KB at
# most, else the caller's `fail` and exit 1), and both taken down by
# thin_down, which also runs when the script exits in any way (an error,
# a signal).
thin_up() {
  : "${D:?the caller sets D, the folder to work in}"
  trap thin_down EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$D/back" "$D/thin" || exit 1
  mount -t tmpfs -o size=12m tmpfs "$D/back" || exit 1
  truncate -s 60M "$D/back/img" || exit 1
  mkfs.ext4 -q -F -m 0 -O ^has_journal -E lazy_itable_init=0 "$D/back/img" || exit 1
  mount -o loop "$D/back/img" "$D/thin" || exit 1
}
thin_fill() {
  local free tries=0
  free=$(thin_free)
  # Filled again where a fill fell short (CI once ran the synth case with
  # room enough for all its files, and so an exit 0), and said: a volume
  # that is not full tests nothing.
  while [ "$free" -gt 100 ] && [ "$tries" -lt 5 ]; do
    dd if=/dev/zero of="$D/back/filler" bs=1K count=$((free - 100)) \
      oflag=append conv=notrunc 2>/dev/null
    free=$(thin_free); tries=$((tries + 1))
  done
  echo "the volume under the image: $free KB free"
  if [ "$free" -gt 100 ]; then
    fail "the volume under the image could not be filled (no test)"; exit 1
  fi
}
# What the volume under the image has free, in KB.
thin_free() {
  df -B1K --output=avail "$D/back" | tail -1 | tr -d ' '
}
thin_down() {
  cd /
  mountpoint -q "$D/thin" && umount "$D/thin"
  mountpoint -q "$D/back" && umount "$D/back"
  # Removed only once nothing is mounted in it.
  if mountpoint -q "$D/thin" || mountpoint -q "$D/back"; then
    echo "FAILED: left mounted under $D"
  else
    rm -rf "$D"
  fi
}
