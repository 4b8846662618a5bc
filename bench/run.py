"""`make bench`: every benchmark of the project, each printing its figures."""

import os
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
# The figures, not WeasyPrint's progress through every page.
os.environ.setdefault("LOG_LEVEL", "WARNING")

for script in sorted(HERE.glob("bench_*.py")):
    print(f"\n=== {script.stem} ===", flush=True)
    runpy.run_path(str(script), run_name="__main__")
