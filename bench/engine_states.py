"""The engine state machine (tests/test_engine_states.py) for longer than CI runs it.

    python bench/engine_states.py                    # 200 examples of up to 25 steps
    python bench/engine_states.py --examples 1000 --steps 40 --shrink

Each step changes the site (edits, adds, deletes, renames, dates and tags, templates, settings,
broken files, damaged cache files, builds SIGKILLed mid-way) and checks the next build against
a cold build of the same inputs. --shrink minimises a failure (slow: minutes); --seed repeats a run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--examples", type=int, default=200)
    p.add_argument("--steps", type=int, default=25)
    p.add_argument("--shrink", action="store_true", help="minimise a failing sequence (slow)")
    p.add_argument("--seed", help="hypothesis seed, to repeat a run")
    args = p.parse_args()
    env = {**os.environ, "ENGINE_EXAMPLES": str(args.examples), "ENGINE_STEPS": str(args.steps),
           "ENGINE_SHRINK": "1" if args.shrink else "0"}
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "tests/test_engine_states.py"]
    if args.seed:
        cmd.append(f"--hypothesis-seed={args.seed}")
    start = time.perf_counter()
    rc = subprocess.call(cmd, cwd=ROOT, env=env)
    print(f"{args.examples} examples of up to {args.steps} steps: {'passed' if rc == 0 else 'FAILED'} "
          f"in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return rc


if __name__ == "__main__":
    sys.exit(main())
