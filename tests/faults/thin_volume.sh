# Sourced by the late-write scripts: a thin-provisioned volume at $D/thin
# (an ext4 image without a journal, on a 12 MB tmpfs at $D/back), made
# fresh by thin_up, the tmpfs filled by thin_fill so that the image's
# file system still has room but the volume under it has none, and both
# taken down by thin_down, which also runs when the script exits in any
# way (an error, a signal).
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
  local free
  free=$(df -B1K --output=avail "$D/back" | tail -1)
  dd if=/dev/zero of="$D/back/filler" bs=1K count=$((free - 100)) 2>/dev/null
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
