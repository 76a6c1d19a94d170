"""Per-city jobs: in order, in worker processes, biggest first."""

import os
import subprocess
import sys

import pytest

from kotaku_map.jobs import run_jobs


def _square_and_pid(x):
    return x * x, os.getpid()


def _minus(a, b):
    return a - b


def _fail_on_three(x):
    if x == 3:
        raise ValueError("kota 3 rusak")
    return x


SIZES = [1, 50, 2, 40, 3, 30, 4, 20, 5, 10, 6, 60]  # biggest first is not job order


def test_results_come_back_in_the_order_of_the_jobs_whatever_ran_first():
    out = run_jobs(_square_and_pid, [{"x": i} for i in range(12)], workers=2, sizes=SIZES)
    assert [v for v, _ in out] == [i * i for i in range(12)]


def test_in_a_fresh_process_the_jobs_run_in_forked_workers():
    # (a test process may run threads by now, and a process with threads never forks)
    code = (
        "import os\n"
        "from test_jobs import _square_and_pid, SIZES\n"
        "from kotaku_map.jobs import run_jobs\n"
        "out = run_jobs(_square_and_pid, [{'x': i} for i in range(12)], workers=2, sizes=SIZES)\n"
        "assert [v for v, _ in out] == [i * i for i in range(12)], out\n"
        "pids = {p for _, p in out}\n"
        "assert os.getpid() not in pids and 1 <= len(pids) <= 2, pids\n"
        "print('ok')\n"
    )
    # the fresh process imports this test module and the kotaku_map under test (a relative
    # PYTHONPATH=src, or only the installed copy, would give it another one)
    import kotaku_map

    src = os.path.dirname(os.path.dirname(os.path.abspath(kotaku_map.__file__)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.path.dirname(__file__), src])}
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"


def test_one_worker_runs_in_process():
    out = run_jobs(_square_and_pid, [{"x": 2}, {"x": 3}], workers=1, sizes=[1, 2])
    assert out == [(4, os.getpid()), (9, os.getpid())]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_job_is_a_mapping_of_named_parameters(workers):
    jobs = [{"a": 10, "b": 3}, {"b": 10, "a": 3}, {"a": 1, "b": 1}]
    assert run_jobs(_minus, jobs, workers=workers, sizes=[1, 3, 2]) == [7, -7, 0]


def test_a_failing_job_raises_its_own_error():
    with pytest.raises(ValueError, match="kota 3 rusak"):
        run_jobs(_fail_on_three, [{"x": i} for i in range(6)], workers=2, sizes=[1] * 6)


SLEEPING_WORKERS = """
import os, sys, time
from kotaku_map.jobs import run_jobs

def sleep_and_tell(i):
    os.write(1, f"{os.getpid()}\\n".encode())  # one write: two workers' lines never interleave
    time.sleep(120)

run_jobs(sleep_and_tell, [{"i": i} for i in range(2)], workers=2)
"""


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[1][0] != "Z"  # a zombie is dead
    except (FileNotFoundError, IndexError):
        return False


@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT"])
def test_workers_die_with_their_parent(how):
    import signal
    import time

    import kotaku_map

    src = os.path.dirname(os.path.dirname(os.path.abspath(kotaku_map.__file__)))
    parent = subprocess.Popen(
        [sys.executable, "-c", SLEEPING_WORKERS],
        env={**os.environ, "PYTHONPATH": src},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers = set()
    try:
        while len(workers) < 2:
            line = parent.stdout.readline()
            assert line, parent.stderr.read()  # the parent ended before its workers spoke
            if line.strip():
                workers.add(int(line))
    except BaseException:
        parent.kill()
        parent.communicate()
        raise
    assert parent.pid not in workers and len(workers) == 2
    # SIGKILL: the kernel kills the workers (PR_SET_PDEATHSIG); SIGINT (Ctrl-C, also what
    # SIGTERM becomes in the CLI): the parent kills them before it exits
    parent.send_signal(getattr(signal, how))
    parent.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p) for p in workers)
