"""Run a job over many files in forked worker processes when that pays for itself (SPEC 8.1)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many files a pool costs more than it saves: forking the workers and sending the
# results back costs tens of milliseconds. tests/perf/bench_batch.py times both ways at several
# sizes; on a quiet 2-core machine (2026-11-26) the pool took quote to 0.88x at 50 files and
# 0.69x at 100, validate to 1.41x at 50 and 0.86x at 100, both about 0.6x from 500 on. The
# thresholds keep a margin: on a machine busy with other work a pool helps less.
QUOTE_POOL_FROM = 100
VALIDATE_POOL_FROM = 200


def workers() -> int:
    """Return how many worker processes to use: one per core, or 1 where fork is missing."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # Windows: spawning a process re-imports everything, which never pays here
    return max(os.cpu_count() or 1, 1)


def split(items: Sequence[T], parts: int) -> list[list[T]]:
    """Split items into at most parts runs of nearly equal length, in order."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    found, start = [], 0
    for index in range(parts):
        end = start + size + (index < extra)
        found.append(list(items[start:end]))
        start = end
    return found


def map_runs(
    job: Callable[[list[T]], R], items: Sequence[T], *, least: int, pool: bool | None = None
) -> list[R]:
    """Run job on runs of items, in order, and return its results in the same order.

    One run per worker process (forked, so that nothing is imported again) when there are at
    least `least` items and two cores or more; else one run here. pool forces the choice.
    Each run is a job of its own, so what a job caches (a rate-card lookup) it does once per
    process. The results do not depend on the choice: the runs are taken in order.
    """
    count = workers()
    wanted = (len(items) >= least and count > 1) if pool is None else pool
    if not wanted or len(items) < 2:
        return [job(list(items))]
    import multiprocessing

    context = multiprocessing.get_context("fork")
    runs = split(items, max(count, 2))
    with context.Pool(len(runs)) as workers_pool:
        return workers_pool.map(job, runs, chunksize=1)
