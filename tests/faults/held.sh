# Sourced by the fault scripts that hold a run with strace.
# held LOG REGEX: whether strace's log LOG shows a call matching REGEX (an
# awk regex; write a parenthesis as [(]) whose injected delay held it, the
# "(DELAYED)" strace puts on its exit. A signal or another thread's call
# during the delay splits the call into "<unfinished ...>" and
# "<... CALL resumed>" lines, joined here first (a CI run, 2026-12-04,
# failed the one-line check, its log not kept). On no match the log is
# printed, to say what strace saw.
held() {
  awk -v pat="$2" '
    { pid = $1 }
    / <unfinished \.\.\.>$/ { sub(/ <unfinished \.\.\.>$/, ""); open[pid] = $0; next }
    /<\.\.\. [a-z0-9_]+ resumed>/ { $0 = open[pid] " " $0; delete open[pid] }
    $0 ~ pat && /[(]DELAYED[)]/ { found = 1 }
    END { exit !found }' "$1" && return
  sed 's/^/  strace: /' "$1"
  return 1
}
