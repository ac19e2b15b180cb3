#!/bin/sh
cd "$(dirname "$0")/../.." && mkdir -p /tmp/covaudit/results
while pgrep -f "coverage/all.sh" >/dev/null; do sleep 10; done
python3 benches/coverage/eq_tail.py run 120
python3 benches/coverage/synth_check.py estimand
python3 benches/coverage/synth_check.py run 150
SEEDOFF=77777 python3 benches/coverage/run.py p100s_b 100 150 -1.0 equal auto 500
