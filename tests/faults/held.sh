# Sourced by the fault scripts that hold a run with strace.
# held LOG REGEX: whether strace's log LOG shows a call matching REGEX (an
# awk regex; write a parenthesis as [(]) whose injected delay held it, the
# "(DELAYED)" strace puts on its exit (printed as the exit's hold begins).
# A signal or another thread's call during the delay splits the call into
# "<unfinished ...>" and "<... CALL resumed>" lines, joined here first.
held() {
  awk -v pat="$2" '
    { pid = $1 }
    / <unfinished \.\.\.>$/ { sub(/ <unfinished \.\.\.>$/, ""); open[pid] = $0; next }
    /<\.\.\. [a-z0-9_]+ resumed>/ { $0 = open[pid] " " $0; delete open[pid] }
    $0 ~ pat && /[(]DELAYED[)]/ { found = 1 }
    END { exit !found }' "$1"
}
# shown LOG: strace's log, to say what it saw where a check of it failed.
shown() { sed 's/^/  strace: /' "$1"; }
