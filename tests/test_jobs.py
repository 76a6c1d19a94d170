"""Per-city jobs: in order, in worker processes, biggest first."""

import os

import pytest

from kotaku_map.jobs import run_jobs


def _square_and_pid(x):
    return x * x, os.getpid()


def _fail_on_three(x):
    if x == 3:
        raise ValueError("kota 3 rusak")
    return x


def test_results_come_back_in_the_order_of_the_jobs_whatever_ran_first():
    jobs = [(i,) for i in range(12)]
    sizes = [1, 50, 2, 40, 3, 30, 4, 20, 5, 10, 6, 60]  # biggest first is not job order
    out = run_jobs(_square_and_pid, jobs, workers=2, sizes=sizes)
    assert [v for v, _ in out] == [i * i for i in range(12)]
    assert all(pid != os.getpid() for _, pid in out)  # they ran in workers


def test_one_worker_runs_in_process():
    out = run_jobs(_square_and_pid, [(2,), (3,)], workers=1, sizes=[1, 2])
    assert out == [(4, os.getpid()), (9, os.getpid())]


def test_a_failing_job_raises_its_own_error():
    with pytest.raises(ValueError, match="kota 3 rusak"):
        run_jobs(_fail_on_three, [(i,) for i in range(6)], workers=2, sizes=[1] * 6)
