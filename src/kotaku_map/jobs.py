"""Running per-city jobs: one after another, or in worker processes where it pays.

Cities are independent, so analysis and writing run per city. For a province or the
whole country the jobs are spread over the machine's cores in forked worker processes:
a worker inherits the jobs' inputs from the parent's memory (nothing is pickled on the
way in) and sends back only its result. Small builds stay in-process, where starting
workers would cost more than it saves; so does a process that already runs threads
(forking one is unsafe) or a platform without ``fork``.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

__all__ = ["auto_workers", "run_jobs"]

#: below this many kelurahan a build runs in one process
PARALLEL_FROM_KELURAHAN = 2000


def auto_workers(workers: int | None, *, kelurahan: int, cities: int) -> int:
    """How many worker processes to use: ``workers`` if given, else the cores for big jobs.

    Parameters
    ----------
    workers : int or None
        Worker processes asked for (at least 1 is used); ``None``: decide.
    kelurahan : int
        Kelurahan in the whole build: below :data:`PARALLEL_FROM_KELURAHAN` one process
        is faster than starting more.
    cities : int
        Number of cities (jobs): never more workers than cities.

    Returns
    -------
    int
        At least 1.

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
    jobs: Sequence[Mapping[str, Any]],
    *,
    workers: int = 1,
    progress: bool = False,
    desc: str = "kab/kota",
    sizes: Sequence[float] | None = None,
) -> list[Any]:
    """Run ``func(**job)`` for every job; results in the order of ``jobs``.

    Exceptions raised by a job propagate (the first one, after the pool shuts down).

    Parameters
    ----------
    func : callable
        A module-level function (workers call it by reference), taking the jobs' keys as
        keyword arguments.
    jobs : sequence of mapping
        One mapping of parameter name to value per job.
    workers : int
        Worker processes; 1 runs every job in this process.
    progress : bool
        Show a progress bar (when there is more than one job).
    desc : str
        Label of the progress bar.
    sizes : sequence of float, optional
        Size of each job (e.g. kelurahan per city): the workers take the biggest jobs
        first, so that no worker is left with a big city while the others have finished.

    Returns
    -------
    list
        ``func``'s result for each job, in the order of ``jobs``.

    Examples
    --------
    >>> run_jobs(lambda x, y: x - y, [{"x": 3, "y": 1}, {"y": 3, "x": 10}])
    [2, 7]
    """
    bar = None
    if progress and len(jobs) > 1:
        from tqdm.auto import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: a process with threads must not fork
        bar = tqdm(total=len(jobs), desc=desc, unit="kota")
    try:
        if workers <= 1 or len(jobs) <= 1 or not _can_fork():
            out = []
            for job in jobs:
                out.append(func(**job))
                if bar is not None:
                    bar.update()
            return out
        global _FUNC, _JOBS
        ctx = multiprocessing.get_context("fork")
        results: list[Any] = [None] * len(jobs)
        _FUNC, _JOBS = func, jobs
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
                order = (
                    range(len(jobs))
                    if sizes is None
                    else sorted(range(len(jobs)), key=lambda i: -sizes[i])
                )
                futures = {pool.submit(_run_one, i): i for i in order}
                for fut in as_completed(futures):
                    results[futures[fut]] = fut.result()
                    if bar is not None:
                        bar.update()
        finally:
            _FUNC, _JOBS = None, ()
        return results
    finally:
        if bar is not None:
            bar.close()


_FUNC: Callable[..., Any] | None = None
_JOBS: Sequence[Mapping[str, Any]] = ()


def _run_one(i: int) -> Any:
    """Run job ``i`` in a forked worker, from the inputs it inherited."""
    assert _FUNC is not None
    return _FUNC(**_JOBS[i])


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
