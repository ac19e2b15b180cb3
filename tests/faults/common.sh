# Shared by the fault scripts that work in a private folder of their own.
# Sourced as `. "$(dirname "$0")/common.sh" NAME KOMPASS`: `fail` says what
# failed and sets `status` (the script's exit code) to 1; K is the kompass
# binary, P the folder (/tmp/kompass-NAME.XXXXXX, made the working folder
# and removed on exit), `opts` the options of a small run on in.csv.
. "$(dirname "${BASH_SOURCE[0]}")/held.sh" || exit 1
status=0; fail() { echo "FAILED: $*"; status=1; }
K=$(realpath "$2"); P=$(realpath "$(mktemp -d "/tmp/kompass-$1.XXXXXX")"); cd "$P" || exit 1
trap 'cd /; rm -rf "$P"' EXIT
opts=(-i in.csv -q --charts none --report none)
