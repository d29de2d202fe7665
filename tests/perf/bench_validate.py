"""Validation benchmark: `nrecalc validate` on 1,000 and 10,000 estimates (SPEC 5, 9).

Generates, in a temporary folder, two sets of valid estimates beside a copy of
rates/default.yaml (`SET/rates/default.yaml`, `SET/estimates/*.yaml`): 1,000 estimates and
10,000 (the first 1,000 of which are the same files). They vary the way real ones do, on the
pattern of the shipped examples/*.yaml: id, date, customer, 1-5 build lines and 0-3 per-upgrade
lines with roles from the card, engineers, weeks, upgrades and term, discount, optional lead
time, standard options, assumptions and exclusions, comments.

Times `nrecalc validate SET` (one call, a real subprocess, output to a pipe) on each set, and
`check-jsonschema --schemafile estimate.schema.json FILE...` (from PyPI; the schema is written
by `nrecalc schema estimate`) on the same 1,000 estimate files, alternating the commands over
the repeats. Prints min and median wall time, ms per file, the 10,000 / 1,000 ratio and the
ratio nrecalc / check-jsonschema. check-jsonschema checks the shape only; nrecalc also finds
each estimate's rate card and checks its roles and dates. When check-jsonschema is not
installed it is skipped.

Targets (SPEC 9): 1,000 files in one call <= 2.0 s (median); 10,000 <= 11 x the 1,000 time.

    python tests/perf/bench_validate.py [--repeats N] [--seed N] [--check] [--profile] [--keep]

Exit status: 0, or with --check 1 when a target is missed; 2 when a command fails or nrecalc
finds a problem in the generated files. This is a benchmark, not a test: pytest does not
collect it.
"""

from __future__ import annotations

import argparse
import json
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CARD = ROOT / "rates" / "default.yaml"
EXAMPLES = ROOT / "examples"
SMALL = 1_000
LARGE = 10_000
TARGET_SECONDS = 2.0  # SMALL files in one call
TARGET_RATIO = 11.0  # LARGE time / SMALL time
SHOW_LINES = 15  # lines of a failing command's output to print
TOP_PROFILE = 45  # rows of the cProfile table by cumulative time
TOP_PROFILE_OWN = 20  # rows by own time

# Beside the examples' customers and titles, so that 10,000 files do not all say the same.
CUSTOMERS = [
    "Fabrikam Automation",
    "Tailspin Warehousing",
    "Wide World Importers",
    "Litware Robotics",
    "Adventure Works Cycles",
    "Proseware Medical",
    "Woodgrove Foods",
    "Margie's Travel Logistics",
]
TITLES = [
    "Robot status feed into the customer's SCADA",
    "Nightly export of mission logs to an SFTP drop",
    "Single sign-on with the customer's identity provider",
    "Custom dashboard for fleet utilisation",
    "Map import from the customer's CAD files",
    "Webhook bridge to the customer's ticketing system",
]
BUILD_TASKS = [
    "Connector",
    "Data mapping",
    "Integration tests",
    "Security review",
    "Operator documentation",
    "Project coordination",
    "Deployment scripts",
    "Load testing",
]
UPGRADE_TASKS = [
    "Compatibility testing",
    "Regression testing",
    "Schema migration",
    "Release notes",
]
ASSUMPTIONS = [
    "The customer provides a staging environment during the build.",
    "Access to the customer's network is granted in the first week.",
    "The customer's API is documented and stable.",
]
EXCLUSIONS = [
    "Changes to the customer's systems.",
    "Hardware and hosting costs.",
    "On-site support outside office hours.",
]
WEEKS = ["0.5", "1", "1.5", "2", "2.5", "3", "4", "6", "8"]
DISCOUNTS = ["0", "0.02", "0.03", "0.05", "0.08", "0.1"]  # within policy: no approval needed
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.'()/-]*")


class CommandFailed(Exception):
    pass


@dataclass
class Command:
    label: str
    argv: list[str]
    cwd: Path
    files: int
    times: list[float] = field(default_factory=list)  # seconds
    errors: bool = False  # check-jsonschema reported errors on the (valid) files


@dataclass
class Templates:
    """What the generated estimates draw from: the rate card's roles and the examples."""

    roles: list[str]
    customers: list[str]
    titles: list[str]
    build_tasks: list[str]
    upgrade_tasks: list[str]
    assumptions: list[str]
    exclusions: list[str]
    start: date  # the card's effective_from: estimates are dated from it


def scalar(text: str) -> str:
    """A YAML scalar for free text: plain when that is safe, else double-quoted (JSON)."""
    return text if _PLAIN.fullmatch(text) and not text.endswith(" ") else json.dumps(text)


def load_templates() -> Templates:
    card = yaml.safe_load(CARD.read_text(encoding="utf-8"))
    templates = Templates(
        roles=list(card["roles"]),
        customers=list(CUSTOMERS),
        titles=list(TITLES),
        build_tasks=list(BUILD_TASKS),
        upgrade_tasks=list(UPGRADE_TASKS),
        assumptions=list(ASSUMPTIONS),
        exclusions=list(EXCLUSIONS),
        start=card["effective_from"],
    )
    for path in sorted(EXAMPLES.glob("*.yaml")):
        example = yaml.safe_load(path.read_text(encoding="utf-8"))
        templates.customers.append(example["customer"])
        templates.titles.append(example["title"])
        custom = example["custom"]
        templates.build_tasks += [item["task"] for item in custom["build"]]
        templates.upgrade_tasks += [item["task"] for item in custom.get("per_upgrade", [])]
        templates.assumptions += example.get("assumptions", [])
        templates.exclusions += example.get("exclusions", [])
    for name in ("customers", "titles", "build_tasks", "upgrade_tasks"):
        setattr(templates, name, sorted(set(getattr(templates, name))))
    return templates


def item_lines(rng: random.Random, tasks: list[str], roles: list[str], count: int) -> list[str]:
    lines = []
    for task in rng.sample(tasks, count):
        lines += [
            f"    - task: {scalar(task)}",
            f"      role: {rng.choice(roles)}",
            f"      engineers: {rng.choice([1, 1, 1, 2, 2, 3, 4])}",
            f"      weeks: {rng.choice(WEEKS)}",
        ]
    return lines


def estimate_text(index: int, seed: int, t: Templates) -> str:
    """One valid estimate; the same (index, seed) always gives the same text."""
    rng = random.Random(seed * 1_000_003 + index)
    day = t.start + timedelta(days=rng.randrange(360))
    build = rng.randint(1, 5)
    per_upgrade = rng.randint(0, 3)
    lines = [
        f"# Generated by tests/perf/bench_validate.py: estimate {index} of a benchmark set.",
        "kind: estimate",
        f"id: Q-{day.year}-{index:05d}",
        f"customer: {scalar(rng.choice(t.customers))}",
        f"title: {scalar(rng.choice(t.titles))}",
        f"date: {day.isoformat()}",
        "rate_card: default            # looked up in ../rates/",
        "",
        "custom:",
        "  build:                      # one-time work",
        *item_lines(rng, t.build_tasks, t.roles, build),
    ]
    if per_upgrade:
        lines.append("  per_upgrade:                # effort on every platform upgrade")
        lines += item_lines(rng, t.upgrade_tasks, t.roles, per_upgrade)
    elif rng.random() < 0.5:
        lines.append("  per_upgrade: []")
    lines += [
        f"  upgrades_per_year: {rng.randint(0, 6)}",
        f"  term_years: {rng.randint(1, 5)}",
    ]
    if rng.random() < 0.3:
        lines.append(f"  lead_time_weeks: {rng.choice(['1', '2', '3.5', '5'])}")
    if rng.random() < 0.6:
        lines += ["", "standard:", f"  coaching_days: {rng.randint(0, 3)}"]
        if rng.random() < 0.3:
            lines.append(f"  integration_days: {rng.randint(1, 10)}  # overrides the card's")
    if rng.random() < 0.7:
        lines += ["", f"discount: {rng.choice(DISCOUNTS)}"]
    for key, texts in (("assumptions", t.assumptions), ("exclusions", t.exclusions)):
        if rng.random() < 0.5:
            lines += ["", f"{key}:"]
            lines += [f"  - {scalar(x)}" for x in rng.sample(texts, rng.randint(1, 2))]
    return "\n".join(lines) + "\n"


def generate(folder: Path, count: int, seed: int, templates: Templates) -> list[str]:
    """Write the card and `count` estimates under folder; return the estimates' paths in it."""
    (folder / "rates").mkdir(parents=True)
    (folder / "estimates").mkdir()
    shutil.copyfile(CARD, folder / "rates" / "default.yaml")
    names = []
    for index in range(1, count + 1):
        name = f"estimates/q-{index:05d}.yaml"
        (folder / name).write_text(estimate_text(index, seed, templates), encoding="utf-8")
        names.append(name)
    return names


def nrecalc_argv() -> list[str]:
    """The installed console script next to the interpreter, else python -m nrecalc."""
    script = shutil.which("nrecalc", path=str(Path(sys.executable).parent))
    return [script] if script is not None else [sys.executable, "-m", "nrecalc"]


def check_jsonschema_argv() -> list[str] | None:
    here = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    found = here or shutil.which("check-jsonschema")
    return [found] if found is not None else None


def run(argv: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, proc


def head(text: str, lines: int = SHOW_LINES) -> str:
    rows = text.strip().splitlines()
    more = f"\n    ... ({len(rows) - lines} more lines)" if len(rows) > lines else ""
    return "\n".join(f"    {row}" for row in rows[:lines]) + more


def check_valid(cmd: Command) -> str:
    """Run nrecalc validate once (a warm-up too); it must pass. Return its summary line."""
    _, proc = run(cmd.argv, cmd.cwd)
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    if proc.returncode != 0 or "no problems" not in summary:
        raise CommandFailed(
            f"{cmd.label} on the generated files exited with {proc.returncode}; they should "
            f"all be valid. stdout:\n{head(proc.stdout)}\nstderr:\n{head(proc.stderr)}"
        )
    return summary


def first_check_jsonschema(cmd: Command) -> None:
    """Run check-jsonschema once (a warm-up too); report errors on the valid files honestly."""
    _, proc = run(cmd.argv, cmd.cwd)
    if proc.returncode == 0:
        print(f"{cmd.label}: {proc.stdout.strip().splitlines()[-1]}")
        return
    if proc.returncode != 1:  # 1 is "validation errors"; anything else is a failure to run
        raise CommandFailed(
            f"{cmd.label} exited with {proc.returncode}:\n{head(proc.stdout + proc.stderr)}"
        )
    cmd.errors = True
    print(
        f"{cmd.label}: REPORTED ERRORS on files nrecalc finds valid (timed anyway; "
        f"first lines):\n{head(proc.stdout + proc.stderr)}"
    )


def benchmark(commands: list[Command], repeats: int) -> None:
    for i in range(repeats):
        # Alternate the commands and rotate who goes first, so drift hits all of them alike.
        shift = i % len(commands)
        for cmd in commands[shift:] + commands[:shift]:
            elapsed, proc = run(cmd.argv, cmd.cwd)
            if proc.returncode != 0 and not (cmd.errors and proc.returncode == 1):
                raise CommandFailed(
                    f"{cmd.label} exited with {proc.returncode}:\n{head(proc.stdout + proc.stderr)}"
                )
            cmd.times.append(elapsed)


def report(small: Command, large: Command, other: Command | None, repeats: int) -> bool:
    """Print the table, the ratios and the verdicts; return whether both targets are met."""
    print()
    print(f"{repeats} alternating repeat(s) of each command, output to a pipe")
    print(f"interpreter {sys.executable}")
    print()
    rows = [small, large] if other is None else [small, large, other]
    width = max(len(c.label) for c in rows)
    header = f"{'command':<{width}}  {'files':>6}  {'min s':>7}  {'median s':>8}  {'ms/file':>7}"
    print(header)
    print("-" * len(header))
    for cmd in rows:
        median = statistics.median(cmd.times)
        note = "  (reported errors)" if cmd.errors else ""
        print(
            f"{cmd.label:<{width}}  {cmd.files:>6,}  {min(cmd.times):>7.3f}  {median:>8.3f}"
            f"  {median * 1000 / cmd.files:>7.3f}{note}"
        )
    print()
    t_small = statistics.median(small.times)
    t_large = statistics.median(large.times)
    ratio = t_large / t_small
    marginal = (t_large - t_small) / (large.files - small.files)
    fixed = t_small - marginal * small.files
    print(f"ratio {LARGE:,} / {SMALL:,} (medians): {ratio:.2f}")
    print(
        f"marginal cost {marginal * 1000:.3f} ms/file; fixed cost (start-up and the rest) "
        f"about {fixed * 1000:.0f} ms"
    )
    if other is None:
        print("check-jsonschema: not installed, skipped (pip install check-jsonschema)")
    else:
        t_other = statistics.median(other.times)
        print(
            f"ratio nrecalc / check-jsonschema on the same {SMALL:,} estimates (medians): "
            f"{t_small / t_other:.2f}"
            + ("  (check-jsonschema reported errors: see above)" if other.errors else "")
        )
        print(
            "  (check-jsonschema checks the shape only; nrecalc also finds each rate card and "
            "checks roles and dates, and reads the card too)"
        )
    print()
    ok_time = t_small <= TARGET_SECONDS
    ok_ratio = ratio <= TARGET_RATIO
    print(
        f"{SMALL:,} files in one call, median {t_small:.3f} s <= {TARGET_SECONDS} s: "
        f"{'PASS' if ok_time else 'FAIL'}"
    )
    print(
        f"{LARGE:,} files <= {TARGET_RATIO:g} x {SMALL:,} files, ratio {ratio:.2f}: "
        f"{'PASS' if ok_ratio else 'FAIL'}"
    )
    return ok_time and ok_ratio


def profile(folder: Path) -> None:
    """Run nrecalc validate in-process under cProfile once; print the top of its tables.

    The same as `python -m cProfile -s cumtime -m nrecalc validate .`, with the statistics saved
    to a file so that they can be shown both by cumulative time and by own time.
    """
    stats_file = folder.parent / "validate.prof"
    argv = [sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "nrecalc"]
    _, proc = run([*argv, "validate", "."], folder)
    if proc.returncode != 0:
        raise CommandFailed(f"cProfile run exited with {proc.returncode}:\n{head(proc.stderr)}")
    for order, rows in (("cumulative", TOP_PROFILE), ("tottime", TOP_PROFILE_OWN)):
        print()
        print(f"cProfile of nrecalc validate on the {SMALL:,} set, sorted by {order}:")
        stats = pstats.Stats(str(stats_file), stream=sys.stdout)
        stats.strip_dirs().sort_stats(order).print_stats(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each command (3)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated files")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--profile", action="store_true", help="also profile one 1,000-file run with cProfile"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the generated files and print where they are"
    )
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    folder = Path(tempfile.mkdtemp(prefix="nrecalc-bench-validate-"))
    try:
        return bench(folder, args.repeats, args.seed, args.check, args.profile)
    except CommandFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"\ngenerated files kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def bench(folder: Path, repeats: int, seed: int, check: bool, with_profile: bool) -> int:
    templates = load_templates()
    start = time.perf_counter()
    small_dir, large_dir = folder / f"{SMALL}", folder / f"{LARGE}"
    names = generate(small_dir, SMALL, seed, templates)
    generate(large_dir, LARGE, seed, templates)
    print(
        f"generated {SMALL:,} and {LARGE:,} estimates (seed {seed}), each set with "
        f"rates/default.yaml, in {time.perf_counter() - start:.1f} s"
    )

    nrecalc = nrecalc_argv()
    label = "nrecalc validate" if len(nrecalc) == 1 else "python -m nrecalc validate"
    small = Command(f"{label} ({SMALL:,})", [*nrecalc, "validate", "."], small_dir, SMALL + 1)
    large = Command(f"{label} ({LARGE:,})", [*nrecalc, "validate", "."], large_dir, LARGE + 1)
    for cmd in (small, large):
        print(f"{cmd.label}: {check_valid(cmd)}")

    commands = [small, large]
    other: Command | None = None
    checker = check_jsonschema_argv()
    if checker is None:
        print("check-jsonschema: not installed, skipped")
    else:
        _, proc = run([*nrecalc, "schema", "estimate"], small_dir)
        if proc.returncode != 0:
            raise CommandFailed(f"nrecalc schema estimate exited with {proc.returncode}")
        schema = small_dir / "estimate.schema.json"
        schema.write_text(proc.stdout, encoding="utf-8")
        other = Command(
            f"check-jsonschema ({SMALL:,})",
            [*checker, "--schemafile", schema.name, *names],
            small_dir,
            SMALL,
        )
        first_check_jsonschema(other)
        commands.append(other)

    benchmark(commands, repeats)
    ok = report(small, large, other, repeats)
    if with_profile:
        profile(small_dir)
    return 1 if check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
