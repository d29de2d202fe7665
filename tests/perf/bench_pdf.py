"""PDF benchmark: a cold `nrecalc quote EXAMPLE --format pdf -o FILE.pdf` per example (SPEC 6.2).

Runs nrecalc as a real subprocess of the same interpreter (through the `nrecalc` console script
beside it, else `python -m nrecalc`), in English and in Chinese (--lang zh-CN), and prints the
median wall time of each. The aim is under 1.5 s on one core.

    python tests/perf/bench_pdf.py [--runs N] [--check]

Exit status: 0, or with --check 1 when a median is above the aim; 2 when a command fails.
This is a benchmark, not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AIM = 1.5  # seconds
LANGUAGES = ("en", "zh-CN")


def command() -> list[str]:
    """Return how to run nrecalc: the console script beside this interpreter, if installed."""
    script = Path(sys.executable).with_name("nrecalc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nrecalc"]


def once(argv: list[str]) -> float:
    """Run a command once; return its wall time in seconds."""
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, check=False)
    took = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode("utf-8", "replace"))
        raise SystemExit(2)
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument("--check", action="store_true", help=f"exit 1 above {AIM} s")
    args = parser.parse_args()
    nrecalc = command()
    slow = False
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "quote.pdf"
        print(f"{'example':<22} {'lang':<6} {'median':>8} {'min':>8}  (runs: {args.runs})")
        for example in sorted((ROOT / "examples").glob("*.yaml")):
            for lang in LANGUAGES:
                argv = [*nrecalc, "quote", str(example), "--lang", lang, "--format", "pdf"]
                argv += ["-o", str(target)]
                times = [once([*argv, "--force"]) for _ in range(args.runs)]
                median = statistics.median(times)
                slow = slow or median > AIM
                print(f"{example.stem:<22} {lang:<6} {median:>7.3f}s {min(times):>7.3f}s")
        target.unlink(missing_ok=True)
    print(f"aim: under {AIM} s each; {'some are above it' if slow else 'all are'}")
    return 1 if args.check and slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
