"""The web app under load: 50 concurrent uploads on loopback, then page latency while the queue drains.

Starts ``budgetdoc serve`` in a process of its own (on a free port of 127.0.0.1, a temporary store, one
worker process unless ``--workers``), signs in a unit user and a reviewer with httpx (async), and:

1. uploads ``--uploads`` (50) documents at once, at most ``--concurrency`` (10) requests in flight — each a
   distinct file (the bundled example, or ``FILES``, with a line added so the bytes differ); every request
   must succeed (303 to its progress page);
2. while the worker reads and checks them, times the pages (documents, organisation tree, findings search,
   a document page, the progress API) against a static file of the same server (``/static/app.css``):
   p50 and p95 latency of each and their ratio to the static file's;
3. waits for the queue to drain and reports documents per second and failed jobs.

No assertion beyond "no request failed" (exit 1 otherwise): numbers are for people.

    .venv/bin/python bench/bench_serve.py [FILES…] [--uploads 50] [--concurrency 10] [--rounds 50]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "demo-2023-final.txt"
PASSWORD = "bench-password-123"


def start(tmp: Path, workers: int) -> tuple[subprocess.Popen, str]:
    """``budgetdoc serve`` in a process of its own (as it runs for people) on a free loopback port, on a
    store with a register, a unit user and a reviewer."""
    from budgetdoc.serve import accounts
    from budgetdoc.store import Store

    db = str(tmp / "bench.db")
    with Store(db) as store:
        (tmp / "orgs.csv").write_text("代码,名称,上级代码,别名\nD1,示例市档案局,,\nU1,示例市档案服务中心,D1,\n",
                                      "utf-8")
        store.import_orgs(str(tmp / "orgs.csv"))
        accounts.add_user(store.engine, "unit", "unit", PASSWORD, "U1")
        accounts.add_user(store.engine, "rev", "reviewer", PASSWORD)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "budgetdoc", "serve", "--db", db, "--port", str(port),
                             "--workers", str(workers), "--files", str(tmp / "files")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    import httpx

    for _ in range(600):
        try:
            if httpx.get(base + "/login", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("budgetdoc serve did not start")


async def sign_in(client, name: str) -> str:
    r = await client.get("/login")
    tok = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
    r = await client.post("/login", data={"csrf": tok, "name": name, "password": PASSWORD})
    assert r.status_code == 303, r.status_code
    r = await client.get("/upload")
    return re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


async def main_async(args) -> int:
    import httpx

    files = [Path(f) for f in args.files] or [EXAMPLE]
    with tempfile.TemporaryDirectory(prefix="budgetdoc-bench-") as t:
        proc, base = start(Path(t), args.workers)
        failures: list[str] = []
        try:
            limits = httpx.Limits(max_connections=args.concurrency + 4)
            async with httpx.AsyncClient(base_url=base, limits=limits, timeout=300) as unit, \
                    httpx.AsyncClient(base_url=base, limits=limits, timeout=300) as rev:
                csrf = await sign_in(unit, "unit")
                await sign_in(rev, "rev")
                gate = asyncio.Semaphore(args.concurrency)
                batches: list[str] = []

                async def upload(i: int) -> float:
                    src = files[i % len(files)]
                    data = src.read_bytes() + f"\n（压测副本 {i}）\n".encode()
                    async with gate:
                        t0 = time.perf_counter()
                        r = await unit.post("/upload", data={"csrf": csrf},
                                            files=[("files", (f"{i:02d}-{src.name}", data, "text/plain"))])
                        dt = time.perf_counter() - t0
                    if r.status_code != 303:
                        failures.append(f"upload {i}: HTTP {r.status_code}")
                    else:
                        batches.append(r.headers["location"].rsplit("/", 1)[-1])
                    return dt

                t0 = time.perf_counter()
                up = await asyncio.gather(*(upload(i) for i in range(args.uploads)))
                wall = time.perf_counter() - t0
                print(f"{args.uploads} uploads, {args.concurrency} at a time: {wall:.2f} s; "
                      f"per request p50 {pct(up, 50) * 1000:.0f} ms, p95 {pct(up, 95) * 1000:.0f} ms; "
                      f"failed {len(failures)}")

                pages = {"static /static/app.css": "/static/app.css", "documents": "/documents",
                         "organisation tree": "/orgs", "findings search": "/findings?severity=error",
                         "progress API": f"/api/batches/{batches[0]}" if batches else "/documents"}
                times: dict[str, list[float]] = {k: [] for k in pages}
                for _ in range(args.rounds):
                    for name, path in pages.items():
                        t1 = time.perf_counter()
                        r = await rev.get(path)
                        times[name].append(time.perf_counter() - t1)
                        if r.status_code != 200:
                            failures.append(f"{path}: HTTP {r.status_code}")
                static50 = statistics.median(times["static /static/app.css"])
                static95 = pct(times["static /static/app.css"], 95)
                print(f"page latency while the queue drains ({args.rounds} rounds; ratio to the static file):")
                for name, xs in times.items():
                    print(f"  {name:24s} p50 {statistics.median(xs) * 1000:7.1f} ms ({statistics.median(xs) / static50:5.1f}×)"
                          f"  p95 {pct(xs, 95) * 1000:7.1f} ms ({pct(xs, 95) / static95:5.1f}×)")

                t2 = time.perf_counter()
                while True:
                    states = []
                    for b in batches:
                        r = await rev.get(f"/api/batches/{b}")
                        states += [j["state"] for j in r.json()["jobs"]]
                    if all(s in ("done", "failed") for s in states):
                        break
                    await asyncio.sleep(0.5)
                drained = time.perf_counter() - t0
                bad = states.count("failed")
                print(f"queue drained {drained:.1f} s after the first upload ({time.perf_counter() - t2:.1f} s after "
                      f"the latency rounds): {len(states) / drained:.2f} documents/s with {args.workers} worker(s); "
                      f"failed jobs {bad}")
                if bad:
                    failures.append(f"{bad} jobs failed")
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
    for f in failures:
        print("FAILED:", f, file=sys.stderr)
    return 1 if failures else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--uploads", type=int, default=50)
    ap.add_argument("--concurrency", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    sys.exit(asyncio.run(main_async(args)))


if __name__ == "__main__":
    main()
