"""Equipercentile: coverage at FIXED old scores (population z), conditional on kompass giving an SE; uses eq_tail.py's results
(EQ_TAIL_RESULTS, default results/eq_tail.jsonl). eq_expected.py with E = 0: every SE the build gave is kept."""
import os, runpy, sys
sys.argv = [sys.argv[0], "0"]
runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), "eq_expected.py"), run_name="__main__")
