"""Running per-city jobs: one after another, or in worker processes where it pays.

Cities are independent, so analysis and writing run per city. For a province or the
whole country the jobs are spread over the machine's cores in forked worker processes:
a worker inherits the jobs' inputs from the parent's memory (nothing is pickled on the
way in) and sends back only its result. Small builds stay in-process, where starting
workers would cost more than it saves; so does a process that already runs threads
(forking one is unsafe) or a platform without ``fork``.

Workers die with their parent: on Linux the kernel kills a worker whose parent dies (even
by SIGKILL), elsewhere the worker checks its parent every second; and a parent that stops
(Ctrl-C, SIGTERM, a job that failed) kills its workers before it goes on. Ctrl-C and
SIGTERM are the parent's to handle.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from .errors import ConfigError

__all__ = ["auto_workers", "check_workers", "max_workers", "run_jobs"]

#: below this many kelurahan a build runs in one process
PARALLEL_FROM_KELURAHAN = 2000


def max_workers() -> int:
    """The most worker processes a build may ask for: twice the cores, at least 4.

    Returns
    -------
    int
        More would only queue for the cores and copy the parent's memory again.

    Examples
    --------
    >>> max_workers() >= 4
    True
    """
    return max(4, 2 * (os.cpu_count() or 1))


def check_workers(workers: object) -> int | None:
    """Refuse a number of worker processes that cannot be meant.

    Parameters
    ----------
    workers : object
        ``None`` (decide by the build's size), or a whole number from 1 to
        :func:`max_workers`.

    Returns
    -------
    int or None
        ``workers``, unchanged.

    Raises
    ------
    kotaku_map.errors.ConfigError
        If ``workers`` is not ``None`` nor a whole number in range, naming ``-j``.

    Examples
    --------
    >>> check_workers(2)
    2
    >>> check_workers(0)
    Traceback (most recent call last):
    ...
    kotaku_map.errors.ConfigError: -j/--jobs (workers) must be a whole number from 1 to ...
    """
    if workers is None:
        return None
    if (
        not isinstance(workers, int)
        or isinstance(workers, bool)
        or not (1 <= workers <= max_workers())
    ):
        raise ConfigError(
            f"-j/--jobs (workers) must be a whole number from 1 to {max_workers()} (twice the "
            f"{os.cpu_count() or 1} cores, at least 4), got {workers!r}"
        )
    return workers


def auto_workers(workers: int | None, *, kelurahan: int, cities: int) -> int:
    """How many worker processes to use: ``workers`` if given, else the cores for big jobs.

    Parameters
    ----------
    workers : int or None
        Worker processes asked for (see :func:`check_workers`); ``None``: decide.
    kelurahan : int
        Kelurahan in the whole build: below :data:`PARALLEL_FROM_KELURAHAN` one process
        is faster than starting more.
    cities : int
        Number of cities (jobs): never more workers than cities.

    Returns
    -------
    int
        At least 1.

    Raises
    ------
    kotaku_map.errors.ConfigError
        If ``workers`` is out of range (:func:`check_workers`).

    Examples
    --------
    >>> auto_workers(None, kelurahan=60, cities=1)
    1
    >>> auto_workers(3, kelurahan=60, cities=5)
    3
    """
    checked = check_workers(workers)
    if checked is not None:
        return checked
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
        return _run_in_workers(func, jobs, workers=workers, sizes=sizes, bar=bar)
    finally:
        if bar is not None:
            bar.close()


def _run_in_workers(
    func: Callable[..., Any],
    jobs: Sequence[Mapping[str, Any]],
    *,
    workers: int,
    sizes: Sequence[float] | None,
    bar: Any,
) -> list[Any]:
    """Run the jobs in forked workers; on any exception (Ctrl-C too) kill them first."""
    global _FUNC, _JOBS
    results: list[Any] = [None] * len(jobs)
    _FUNC, _JOBS = func, jobs
    # what the workers inherit stays out of their garbage collector: a collection would
    # otherwise write to every inherited object (its GC header), copying the parent's
    # pages into each worker and walking them all again and again
    gc.freeze()
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_init,
        initargs=(os.getpid(),),
    )
    try:
        order = (
            range(len(jobs)) if sizes is None else sorted(range(len(jobs)), key=lambda i: -sizes[i])
        )
        futures = {pool.submit(_run_one, i): i for i in order}
        for fut in as_completed(futures):
            results[futures[fut]] = fut.result()
            if bar is not None:
                bar.update()
    except BaseException:
        # the parent's side of "workers die with their parent": a worker must not go on
        # writing after the build stopped (Ctrl-C, SIGTERM, a failed job)
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _FUNC, _JOBS = None, ()
        gc.unfreeze()
    return results


#: prctl(2) option: the signal a process gets when its parent dies (linux/prctl.h)
_PR_SET_PDEATHSIG = 1


def _worker_init(parent: int) -> None:
    """In each worker: leave Ctrl-C and SIGTERM to the parent, and die with the parent.

    On Linux the kernel sends the worker SIGKILL when its parent dies (even by SIGKILL);
    elsewhere a thread checks the parent every second. A parent that died before this ran
    is caught by comparing the worker's parent with the one that forked it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if not _kill_me_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _kill_me_with_parent() -> bool:
    """Ask Linux for SIGKILL when the parent dies; False where that cannot be asked."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    """Exit as soon as the parent is gone (where the kernel cannot be asked to)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


_FUNC: Callable[..., Any] | None = None
_JOBS: Sequence[Mapping[str, Any]] = ()


def _run_one(i: int) -> Any:
    """Run job ``i`` in a forked worker, from the inputs it inherited.

    Afterwards the memory the job freed goes back to the system (glibc keeps it otherwise:
    a worker that wrote a hundred cities would hold the peak of all of them).
    """
    assert _FUNC is not None
    result = _FUNC(**_JOBS[i])
    _give_back_memory()
    return result


def _give_back_memory() -> None:
    """Return freed heap memory to the system (glibc's ``malloc_trim``; elsewhere nothing)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (e.g. musl)
            pass


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
