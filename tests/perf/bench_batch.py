"""Batch benchmark: `nrecalc quote SET --format json` on 1,000 and 10,000 estimates (SPEC 8.1),
and `nrecalc report SET` beside it (SPEC 8.6: the same reading, the same budget).

Generates the estimate sets of bench_validate.py (a copy of rates/default.yaml beside 1,000 and
10,000 varied estimates, each given tags and an outcome here, so that the report has something
to count) and times, as real subprocesses with output to a pipe:

- `nrecalc quote SET --format json` on each set (one call: the batch summary);
- `nrecalc report SET --format json` and `nrecalc report SET` (the table) on each set;
- separate `nrecalc quote FILE --format json` processes, one per estimate: a sample of
  --sample files (50 by default), scaled to 1,000, so that the ratio shows;
- in one process, quote_paths and validate_paths with the pool forced off and on, at several
  sizes, to show where a forked pool starts to pay (nrecalc.pool's thresholds).

Targets: 1,000 estimates to a JSON summary <= 1.5 s (median); 10,000 <= 11 x that; the
report's JSON the same.

    python tests/perf/bench_batch.py [--repeats N] [--sample N] [--seed N] [--check]

Exit status: 0, or with --check 1 when a target is missed; 2 when a command fails. This is a
benchmark, not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_validate import generate, load_templates, nrecalc_argv

SMALL = 1_000
LARGE = 10_000
TARGET_SECONDS = 1.5
TARGET_RATIO = 11.0
SIZES = (20, 50, 100, 200, 500, 1_000)  # for the pool's threshold
TAGS = [
    "reverse-push",
    "mqtt",
    "sso",
    "opc-ua",
    "scada-feed",
    "sftp-export",
    "dashboard",
    "cad-maps",
]
STATUSES = ["open", "custom", "standard", "productize", "declined", "standard", "open"]
_DATE = re.compile(r"(?m)^date: ([0-9-]+)$")

# Run in a fresh interpreter: time quote_paths / validate_paths with the pool off and on.
_INSIDE = """
import json, sys, time
from datetime import date
from pathlib import Path
from nrecalc.batch import Settings, quote_paths
from nrecalc.choices import Format
from nrecalc.render.summary import render_json
from nrecalc.validate import validate_paths
folder, count, what, repeats = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
files = sorted((folder / "estimates").glob("*.yaml"))[:count]
found = {}
for pool in (False, True):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        if what == "quote":
            batch = quote_paths(files, Settings(Format.json, date(2026, 11, 26)), pool=pool)
            render_json(batch.rows, batch.made, batch.problems)
        else:
            validate_paths(files, today=date(2026, 11, 26), pool=pool)
        times.append(time.perf_counter() - start)
    found["pool" if pool else "serial"] = sorted(times)[len(times) // 2]
print(json.dumps(found))
"""


def add_outcomes(folder: Path) -> None:
    """Give each generated estimate one or two tags and an outcome (decided some days later)."""
    for index, path in enumerate(sorted((folder / "estimates").glob("*.yaml"))):
        text = path.read_text(encoding="utf-8")
        match = _DATE.search(text)
        assert match, path
        tags = sorted({TAGS[index % len(TAGS)], TAGS[(index * 7) % 5]})
        status = STATUSES[index % len(STATUSES)]
        text += f"\ntags: [{', '.join(tags)}]\n"
        if status != "open":
            decided = date.fromisoformat(match[1]) + timedelta(days=index % 45)
            text += f"outcome: {{status: {status}, date: {decided}, note: Decided.}}\n"
        path.write_text(text, encoding="utf-8")


def timed(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"error: {' '.join(argv[:4])}... exited {done.returncode}:\n"
            f"{done.stderr.decode(errors='replace')[:2000]}"
        )
    return elapsed


def median_of(argv: list[str], cwd: Path, repeats: int) -> float:
    timed(argv, cwd)  # warm-up: the file cache
    return statistics.median(timed(argv, cwd) for _ in range(repeats))


def inside(folder: Path, count: int, what: str, repeats: int) -> dict[str, float]:
    argv = [sys.executable, "-c", _INSIDE, str(folder), str(count), what, str(repeats)]
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    found: dict[str, float] = json.loads(done.stdout)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each command (3)")
    parser.add_argument("--sample", type=int, default=50, help="separate processes timed (50)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated files")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="nrecalc-bench-batch-"))
    try:
        return bench(folder, args.repeats, args.sample, args.seed, args.check)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench(folder: Path, repeats: int, sample: int, seed: int, check: bool) -> int:
    templates = load_templates()
    small, large = folder / "small", folder / "large"
    names = generate(small, SMALL, seed, templates)
    generate(large, LARGE, seed, templates)
    add_outcomes(small)
    add_outcomes(large)
    nrecalc = nrecalc_argv()
    print(f"generated {SMALL:,} and {LARGE:,} estimates (seed {seed}); {repeats} repeat(s)")
    t_small = median_of([*nrecalc, "quote", ".", "--format", "json"], small, repeats)
    t_large = median_of([*nrecalc, "quote", ".", "--format", "json"], large, repeats)
    reported = {
        (size, fmt): median_of([*nrecalc, "report", ".", "--format", fmt], where, repeats)
        for size, where in ((SMALL, small), (LARGE, large))
        for fmt in ("json", "table")
    }
    each = [timed([*nrecalc, "quote", name, "--format", "json"], small) for name in names[:sample]]
    t_separate = statistics.mean(each) * SMALL
    print()
    print(f"nrecalc quote . --format json, {SMALL:>6,} estimates: {t_small:7.3f} s (median)")
    print(f"nrecalc quote . --format json, {LARGE:>6,} estimates: {t_large:7.3f} s (median)")
    print(
        f"{SMALL:,} separate nrecalc quote processes: {t_separate:7.3f} s "
        f"(a sample of {sample} timed, mean {statistics.mean(each) * 1000:.1f} ms, scaled)"
    )
    print()
    print(f"{'estimates':>9}  {'quote json':>10}  {'report json':>11}  {'report table':>12}")
    for size, batch in ((SMALL, t_small), (LARGE, t_large)):
        print(
            f"{size:>9,}  {batch:>10.3f}  {reported[size, 'json']:>11.3f}  "
            f"{reported[size, 'table']:>12.3f}  (report json / quote json: "
            f"{reported[size, 'json'] / batch:.2f})"
        )
    ratio = t_large / t_small
    print(
        f"ratio {LARGE:,} / {SMALL:,}: {ratio:.2f}; one batch / separate processes: "
        f"{t_small / t_separate:.3f} ({t_separate / t_small:.0f}x faster)"
    )
    print()
    print("in one process, median of", repeats, "(the pool forked at each call):")
    print(
        f"{'files':>7}  {'quote serial':>12}  {'quote pool':>10}  "
        f"{'validate serial':>15}  {'validate pool':>13}"
    )
    for size in [*SIZES, LARGE]:
        where = large if size > SMALL else small
        quoted = inside(where, size, "quote", repeats)
        checked = inside(where, size, "validate", repeats)
        print(
            f"{size:>7,}  {quoted['serial']:>12.3f}  {quoted['pool']:>10.3f}  "
            f"{checked['serial']:>15.3f}  {checked['pool']:>13.3f}  "
            f"(pool/serial: quote {quoted['pool'] / quoted['serial']:.2f}, "
            f"validate {checked['pool'] / checked['serial']:.2f})"
        )
    print()
    ok_time, ok_ratio = t_small <= TARGET_SECONDS, ratio <= TARGET_RATIO
    r_small, r_ratio = reported[SMALL, "json"], reported[LARGE, "json"] / reported[SMALL, "json"]
    ok_report = r_small <= TARGET_SECONDS and r_ratio <= TARGET_RATIO
    print(
        f"{SMALL:,} estimates, median {t_small:.3f} s <= {TARGET_SECONDS} s: "
        f"{'PASS' if ok_time else 'FAIL'}"
    )
    print(
        f"{LARGE:,} <= {TARGET_RATIO:g} x {SMALL:,}, ratio {ratio:.2f}: "
        f"{'PASS' if ok_ratio else 'FAIL'}"
    )
    print(
        f"report: {SMALL:,} estimates, median {r_small:.3f} s <= {TARGET_SECONDS} s; "
        f"{LARGE:,} / {SMALL:,} {r_ratio:.2f} <= {TARGET_RATIO:g}: "
        f"{'PASS' if ok_report else 'FAIL'}"
    )
    return 1 if check and not (ok_time and ok_ratio and ok_report) else 0


if __name__ == "__main__":
    sys.exit(main())
