"""Running per-city jobs: one after another, or in worker processes where it pays.

Cities are independent, so analysis and writing run per city. For a province or the
whole country the jobs are spread over the machine's cores (``forkserver`` processes
that import the package once); small builds stay in-process, where starting workers
would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

__all__ = ["auto_workers", "run_jobs"]

#: below this many kelurahan a build runs in one process
PARALLEL_FROM_KELURAHAN = 2000


def auto_workers(workers: int | None, *, kelurahan: int, cities: int) -> int:
    """How many worker processes to use: ``workers`` if given, else the cores for big jobs.

    Examples
    --------
    >>> auto_workers(None, kelurahan=60, cities=1)
    1
    >>> auto_workers(3, kelurahan=60, cities=5)
    3
    """
    if workers is not None:
        return max(1, int(workers))
    if cities < 2 or kelurahan < PARALLEL_FROM_KELURAHAN:
        return 1
    return max(1, min(os.cpu_count() or 1, cities))


def run_jobs(
    func: Callable[..., Any],
    jobs: Sequence[tuple[Any, ...]],
    *,
    workers: int = 1,
    progress: bool = False,
    desc: str = "kab/kota",
) -> list[Any]:
    """Run ``func(*job)`` for every job; results in the order of ``jobs``.

    Exceptions raised by a job propagate (the first one, after the pool shuts down).
    """
    bar = None
    if progress and len(jobs) > 1:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(jobs), desc=desc, unit="kota")
    try:
        if workers <= 1 or len(jobs) <= 1:
            out = []
            for job in jobs:
                out.append(func(*job))
                if bar is not None:
                    bar.update()
            return out
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["kotaku_map.analysis", "kotaku_map.render"])
        results: list[Any] = [None] * len(jobs)
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = {pool.submit(func, *job): i for i, job in enumerate(jobs)}
            for fut in as_completed(futures):
                results[futures[fut]] = fut.result()
                if bar is not None:
                    bar.update()
        return results
    finally:
        if bar is not None:
            bar.close()
