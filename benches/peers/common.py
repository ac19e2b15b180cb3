"""Shared by the peer scripts of `make bench`: installs a package with pip
when it is missing, and lists the input CSV files of a data set."""
import glob
import importlib
import os
import subprocess
import sys


def need(module, package=None):
    """Imports `module`, installing `package` (default: the module) with pip
    first if it is missing."""
    try:
        return importlib.import_module(module)
    except ImportError:
        subprocess.check_call(
            [sys.executable, "-m", "pip", "install", "--quiet",
             "--disable-pip-version-check", package or module])
        return importlib.import_module(module)


def inputs(folder):
    files = sorted(glob.glob(os.path.join(folder, "*.csv")))
    if not files:
        sys.exit(f"no CSV files in {folder}")
    return files
