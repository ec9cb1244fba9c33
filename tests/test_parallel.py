"""Scale: ``--jobs N`` (a process pool) and ``--cluster`` (Ray tasks on a local two-node cluster) give
the output of a serial run, in input order; a bad file, or a worker that dies on one, hides no other."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from budgetdoc.parallel import map_documents
from conftest import SAMPLES, SEEDS, SHARED

REAL = SHARED / "real"
needs_shared = pytest.mark.skipif(not SEEDS.is_dir() or not SAMPLES.is_dir() or not REAL.is_dir(),
                                  reason="shared/seeds, samples or real not present")


def _upper(path: str) -> str:
    """A worker function: dies (no exception, the process ends) on a path ending in ``die``."""
    if path.endswith("die"):
        os._exit(3)
    if path.endswith("bug"):
        raise ZeroDivisionError("on purpose")
    return path.upper()


def test_results_in_input_order_and_a_dying_worker_hides_no_other() -> None:
    paths = [f"f{k}" for k in range(7)] + ["x-die", "f7", "y-bug", "f8"]
    results = map_documents(paths, _upper, jobs=2)
    assert [r.path for r in results] == paths
    assert [r.value for r in results if r.ok] == [p.upper() for p in paths if not p.endswith(("die", "bug"))]
    died = results[paths.index("x-die")]
    assert not died.ok and "进程意外退出" in (died.error or "")
    bug = results[paths.index("y-bug")]
    assert not bug.ok and "ZeroDivisionError" in (bug.error or "")
    serial = map_documents([p for p in paths if not p.endswith("die")], _upper, jobs=1)
    assert [(r.path, r.value, r.error) for r in serial] == [
        (r.path, r.value, r.error) for r in results if not r.path.endswith("die")]


def _inputs(tmp_path: Path) -> list[str]:
    """Every document of ../shared and, in the middle, files that cannot be used."""
    empty = tmp_path / "empty.txt"
    empty.write_text("", "utf-8")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    docs = sorted(str(p) for d in (SEEDS, SAMPLES, REAL) for p in d.iterdir()
                  if p.suffix in (".txt", ".pdf") and p.name != "README.md")
    return docs[:4] + [str(empty), str(tmp_path / "missing.txt"), str(broken)] + docs[4:]


def _check(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budgetdoc", "check", "--format", "json", *args],
                          capture_output=True, text=True, env=env, timeout=900)


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], subprocess.CompletedProcess]:
    if not (SEEDS.is_dir() and SAMPLES.is_dir() and REAL.is_dir()):
        pytest.skip("shared/seeds, samples or real not present")
    paths = _inputs(tmp_path_factory.mktemp("inputs"))
    return paths, _check("--jobs", "1", *paths)


@needs_shared
def test_jobs_2_gives_the_serial_output(serial) -> None:
    paths, one = serial
    out = json.loads(one.stdout)
    assert [o["source"] for o in out] == paths
    assert sum("error" in o for o in out) == 3 and one.returncode == 2
    assert sum(len(o.get("findings", [])) for o in out) > 50
    two = _check("--jobs", "2", *paths)
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)


# ---------------------------------------------------------------------------------------------------------
# a local Ray cluster: a head and a worker node on this machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    """End a ``ray start --block`` and the processes it started (its own session), by process group."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(60)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def ray_cluster(tmp_path_factory: pytest.TempPathFactory):
    ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'budgetdoc[cluster]')")
    exe = shutil.which("ray", path=os.path.dirname(sys.executable)) or shutil.which("ray")
    if exe is None:
        pytest.skip("the ray command is not installed")
    port = _free_port()
    logs = tmp_path_factory.mktemp("ray")
    env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0")
    common = ["--num-cpus=1", "--block", "--node-ip-address=127.0.0.1", "--disable-usage-stats"]
    procs: list[subprocess.Popen] = []
    try:
        with open(logs / "head.log", "w") as log:
            procs.append(subprocess.Popen([exe, "start", "--head", f"--port={port}", "--include-dashboard=false",
                                           *common], env=env, start_new_session=True, stdout=log,
                                          stderr=subprocess.STDOUT))
        address = f"127.0.0.1:{port}"
        with open(logs / "worker.log", "w") as log:
            procs.append(subprocess.Popen([exe, "start", f"--address={address}", *common], env=env,
                                          start_new_session=True, stdout=log, stderr=subprocess.STDOUT))
        nodes = 0
        for _ in range(120):  # wait for both nodes (bounded: two minutes)
            if any(p.poll() is not None for p in procs):
                pytest.skip(f"a Ray node did not start: {(logs / 'head.log').read_text()[-500:]}")
            try:
                ray.init(address=address, log_to_driver=False, logging_level="ERROR")
                nodes = sum(1 for n in ray.nodes() if n["Alive"])
            except Exception:  # noqa: BLE001 - not up yet
                nodes = 0
            finally:
                if ray.is_initialized():
                    ray.shutdown()
            if nodes >= 2:
                break
            time.sleep(1)
        if nodes < 2:
            pytest.skip("the local Ray cluster did not come up within two minutes")
        yield address
    finally:
        for p in reversed(procs):  # the worker node first, then the head
            _stop(p)


@needs_shared
def test_a_local_ray_cluster_gives_the_serial_output(serial, ray_cluster: str) -> None:
    paths, one = serial
    run = _check("--cluster", ray_cluster, *paths)
    assert (run.returncode, run.stdout, run.stderr) == (one.returncode, one.stdout, one.stderr)
    env = dict(os.environ, RAY_ADDRESS=ray_cluster)
    few = [p for p in paths if p.endswith(".txt")][:3]
    assert _check(*few, env=env).stdout == _check("--jobs", "1", *few).stdout


@needs_shared
def test_report_jobs_2_writes_the_serial_reports(tmp_path: Path) -> None:
    seeds = sorted(str(p) for p in SEEDS.glob("0*.txt"))[:3]
    paths = seeds[:1] + [str(tmp_path / "missing.txt")] + seeds[1:]
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        res = subprocess.run([sys.executable, "-m", "budgetdoc", "report", *paths, "-o", f"{out}/", "--jobs", jobs],
                             capture_output=True, text=True, timeout=600)
        assert res.returncode == 0, res.stderr
        outs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outs[0] == outs[1] and len(outs[0]) == 4  # three reports and the index
    assert "missing.txt" in outs[0]["index.html"].decode("utf-8")


@needs_shared
def test_an_unreachable_cluster_is_one_sentence() -> None:
    seeds = sorted(str(p) for p in SEEDS.glob("0*.txt"))[:2]
    res = _check("--cluster", f"127.0.0.1:{_free_port()}", *seeds)
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("budgetdoc: ") and "Ray" in res.stderr
