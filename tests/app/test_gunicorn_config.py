"""The shipped gunicorn settings size the server from the CPUs the process may use."""

import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def workers_when_allowed(cpus: set[int]) -> int:
    code = ("import os, runpy; os.sched_setaffinity(0, %r); os.environ.pop('WEB_CONCURRENCY', None); "
            "print(runpy.run_path('gunicorn.conf.py')['workers'])" % (cpus,))
    return int(subprocess.run([sys.executable, "-c", code], cwd=REPOSITORY, capture_output=True, text=True,
                              check=True).stdout)


def test_two_workers_per_cpu_the_process_may_use_not_per_cpu_of_the_host():
    assert workers_when_allowed({0}) == 2
