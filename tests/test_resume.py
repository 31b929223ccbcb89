"""A run killed at any stage, then run again, leaves exactly the store a clean run leaves: a real
`storylens` process is killed with SIGKILL in the middle of reading, analysing, linking and
comparing, and the same command run again finishes the work with no manual step."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, SAMPLE

# Runs `storylens ARGS...` after arranging for the process to SIGKILL itself when OWNER.NAME is
# called for the CALL-th time (before the call does anything), as a kill -9 at that moment would.
DYING = """
import os, signal, sys
import storylens.pipeline
from storylens.store.db import Store
from storylens.cli import main

owner, name, call = sys.argv[1], sys.argv[2], int(sys.argv[3])
target = {"Store": Store, "pipeline": storylens.pipeline}[owner]
real, calls = getattr(target, name), []

def dying(*args, **kwargs):
    calls.append(1)
    if len(calls) == call:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)

setattr(target, name, dying)
main(sys.argv[4:], prog_name="storylens")
"""


def storylens(*args, kill: tuple[str, str, int] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", DYING, *(map(str, kill)), *map(str, args)] if kill else [
        sys.executable, "-m", "storylens.cli", *map(str, args)
    ]  # fmt: skip
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_a_run_killed_at_each_stage_then_run_again_exports_what_a_clean_run_does(tmp_path, sample_export):
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy)
    db = tmp_path / "resumed.db"
    ingest = ("ingest", copy, "--manifest", copy / "manifest.csv", "--db", db)
    stages = [
        ("read: between the outlets' line counts and the batch", "Store", "write_batch", 1),
        ("analyse: analyses computed, not yet stored", "Store", "write_analyses", 1),
        ("link: entities linked, text reuse not yet", "pipeline", "link_reuse", 1),
        ("link: reuse linked, stories not yet", "Store", "write_stories", 1),
    ]
    for stage, owner, name, call in stages:
        killed = storylens(*ingest, kill=(owner, name, call))
        assert killed.returncode == -signal.SIGKILL, (stage, killed.stderr[-2000:])  # it got that far
    finished = storylens(*ingest)
    assert finished.returncode == 0, finished.stderr[-2000:]
    killed = storylens("compare", "--db", db, kill=("Store", "cache_comparison", 2))
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    exported = storylens("export", "--db", db)
    assert exported.returncode == 0, exported.stderr[-2000:]
    resumed = json.loads(exported.stdout.replace(str(copy), "SAMPLE"))
    clean = json.loads(json.dumps(sample_export["export"]).replace(str(sample_export["root"]), "SAMPLE"))
    for part in clean:
        assert resumed[part] == clean[part], part


# A parent that starts two workers as understand_articles does, has each run a task, prints their
# pids and waits, to be killed with SIGKILL by the test.
POOL = """
import multiprocessing, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from storylens.understand.nlp import die_with

with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"),
                         initializer=die_with, initargs=(os.getpid(),)) as pool:
    futures = [pool.submit(time.sleep, 0.2) for _ in range(4)]
    for f in futures:
        f.result()
    print(" ".join(str(p) for p in pool._processes), flush=True)
    time.sleep(600)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_worker_processes_end_when_an_ingest_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", POOL], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(p) for p in workers)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        for _ in range(100):  # up to ten seconds
            if not any(_alive(p) for p in workers):
                break
            time.sleep(0.1)
        assert not any(_alive(p) for p in workers)
    finally:
        parent.kill()


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie, ended and not yet reaped by init, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
