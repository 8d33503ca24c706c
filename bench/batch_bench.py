"""Batch screening benchmark: upload -> workers -> downloadable results, end to end over HTTP.

Loads every list in ../shared/data into a fresh SQLite database, runs the API under uvicorn in
a subprocess, starts the batch workers, uploads a name-only CSV of N rows, waits for the job and
downloads the full results. Reports rows/s and peak RSS (server and each worker) per size, and a
baseline: a plain single-process loop over screen_party.

    python bench/batch_bench.py --rows 10000 100000 1000000 --workers 2 --max-seconds 1800
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.batch.worker import start_workers  # noqa: E402
from app.catalog.service import LoadRequest  # noqa: E402
from app.core.settings import Settings  # noqa: E402
from app.lists.models import ListAction, ListInfo  # noqa: E402
from app.runtime import Runtime  # noqa: E402
from app.screening.party import screen_party  # noqa: E402

# (list id, format, path under the shared data folder)
SHARED_LISTS = [
    ("ofac-sdn", "ofac-csv", "ofac_sdn/2024-05-03_sdn_only"),
    ("ofac-cons", "ofac-xml", "ofac_consolidated_nonsdn/CONS_ENHANCED.XML"),
    ("un", "un-xml", "un/UN_consolidated.xml"),
    ("us-csl", "us-csl", "us_csl/consolidated.csv"),
    ("os-zala", "ftm", "opensanctions_ftm/yente_fixture_zala/entities.ftm.json"),
]
NAME_FILES = [
    "eval/yente_validation_report/negatives_global.csv",
    "eval/yente_validation_report/negatives_us.csv",
    "eval/yente_candidate_generation_benchmark/positives_un_treated.csv",
]
SERVER = """
import uvicorn
from app.api.routes import batches
from app.core.settings import Settings
from app.main import create_app
app = create_app(Settings())
if not any(getattr(r, "path", "") == "/v1/batches" for r in app.routes):
    app.include_router(batches.router)
uvicorn.run(app, host="127.0.0.1", port={port}, log_level="warning")
"""


def load_shared_lists(settings: Settings, data: Path) -> list[str]:
    runtime = Runtime.open(settings)
    runtime.sync_curated()
    loaded = []
    for list_id, fmt, relative in SHARED_LISTS:
        info = ListInfo(
            id=list_id, name=list_id, authority="bench", default_action=ListAction.BLOCK
        )
        report = runtime.catalog.load(
            LoadRequest(info=info, fmt=fmt, path=data / relative, origin="import")
        )
        loaded.append(f"{list_id} ({fmt}): {report.status}, {report.entry_count:,} entries")
    runtime.close()
    return loaded


def sample_names(data: Path) -> tuple[list[str], list[str]]:
    """First and last names of the yente negative and UN positive sets, to recombine."""
    firsts: set[str] = set()
    lasts: set[str] = set()
    for relative in NAME_FILES:
        with (data / relative).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row.get("first_name") and row.get("last_name"):
                    firsts.add(row["first_name"].replace('"', ""))
                    lasts.add(row["last_name"].replace('"', ""))
    return sorted(firsts), sorted(lasts)


def unique_names(parts: tuple[list[str], list[str]], count: int) -> list[str]:
    """`count` distinct "First Last" names: a customer book shares tokens, not whole names, so
    drawing whole names again and again would flatter any cache."""
    firsts, lasts = parts
    rng = random.Random(7)
    seen: dict[str, None] = {}
    while len(seen) < count:
        seen[f"{rng.choice(firsts)} {rng.choice(lasts)}"] = None
    return list(seen)


def write_input(path: Path, rows: int, parts: tuple[list[str], list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("record_id,name\n")
        for i, name in enumerate(unique_names(parts, rows)):
            out.write(f'C{i:07d},"{name}"\n')


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_size(
    settings: Settings, rows: int, names: tuple[list[str], list[str]], workers: int, max_seconds: float, port: int
) -> dict[str, float]:
    work = Path(settings.data_dir)
    input_path = work / f"input-{rows}.csv"
    write_input(input_path, rows, names)
    env = {
        **os.environ,
        **{
            f"EXPOSURE_{k.upper()}": str(v)
            for k, v in {
                "database_url": settings.database_url,
                "data_dir": settings.data_dir,
                "batch_workers": 0,
                "refresh_on_start": "false",
                "batch_max_rows": 2_000_000,
                "batch_max_bytes": 400_000_000,
                "lists_dir": settings.lists_dir,
                "rules_dir": settings.rules_dir,
            }.items()
        },
    }
    server = subprocess.Popen([sys.executable, "-c", SERVER.format(port=port)], cwd=REPO, env=env)
    pool = start_workers(settings, count=workers, poll_seconds=0.2)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base)
        # A running service has its workers up: time the job, not the workers' index build.
        if not pool.wait_ready(timeout=300):
            raise RuntimeError("batch workers did not start")
        started = time.perf_counter()
        with input_path.open("rb") as handle, httpx.Client(base_url=base, timeout=600) as client:
            job = client.post(
                "/v1/batches", files={"file": (input_path.name, handle, "text/csv")}
            ).json()
            uploaded = time.perf_counter()
            status = _wait_done(client, job["id"], started + max_seconds)
            screened = time.perf_counter()
            out_bytes = 0
            with client.stream(
                "GET", f"/v1/batches/{job['id']}/results", params={"format": "csv"}
            ) as response:
                for block in response.iter_bytes():
                    out_bytes += len(block)
        seconds = time.perf_counter() - started
        worker_rss = [peak_rss_mb(pid) for pid in pool.pids]
        return {
            "rows": rows,
            "seconds": seconds,
            "upload_s": uploaded - started,
            "screen_s": screened - uploaded,
            "download_s": seconds - (screened - started),
            "rows_per_s": status["rows_read"] / seconds,
            "rows_read": status["rows_read"],
            "status_done": status["status"] == "done",
            "server_rss": peak_rss_mb(server.pid),
            "worker_rss": max(worker_rss),
            "input_mb": input_path.stat().st_size / 1e6,
            "output_mb": out_bytes / 1e6,
        }
    finally:
        pool.stop()
        server.terminate()
        server.wait(10)
        input_path.unlink(missing_ok=True)


def _wait_ready(base: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not start")


def _wait_done(client: httpx.Client, job_id: str, deadline: float) -> dict[str, object]:
    while True:
        status: dict[str, object] = client.get(f"/v1/batches/{job_id}").json()
        if status["status"] in ("done", "failed", "cancelled"):
            return status
        if time.perf_counter() > deadline:
            client.post(f"/v1/batches/{job_id}/cancel")
            return client.get(f"/v1/batches/{job_id}").json()  # type: ignore[no-any-return]
        time.sleep(0.5)


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop: this machine's speed varies between sessions by up
    to 2x, and this figure lets runs on different days be compared."""
    started = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - started


def baseline(settings: Settings, names: tuple[list[str], list[str]], rows: int) -> float:
    """A plain single-process loop over screen_party: no CSV, no database, no workers."""
    from app.matching.types import MatchQuery

    runtime = Runtime.open(settings)
    runtime.rules.reload()
    state, policy, config = runtime.catalog.state, runtime.policy(), runtime.match_config()
    started = time.perf_counter()
    for name in unique_names(names, rows):
        screen_party(
            MatchQuery(name=name),
            state.index,
            config=config,
            policy=policy,
            ruleset=runtime.rules.current,
            list_versions=state.versions(),
        )
    runtime.close()
    return rows / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--max-seconds", type=float, default=1800, help="cancel a run that takes longer"
    )
    parser.add_argument("--baseline-rows", type=int, default=5_000)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "batch.md")
    args = parser.parse_args()
    work = REPO / "bench" / "tmp" / "batch"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    settings = Settings(
        database_url=f"sqlite:///{work / 'bench.db'}",
        data_dir=work,
        refresh_on_start=False,
        batch_workers=0,
        batch_max_rows=2_000_000,
        batch_max_bytes=400_000_000,
    )
    lists = load_shared_lists(settings, args.data)
    speed = machine_speed()
    print(f"machine: 10M-step Python loop in {speed:.2f} s", flush=True)  # noqa: T201
    names = sample_names(args.data)
    base = baseline(settings, names, args.baseline_rows)
    print(f"baseline: {base:,.0f} rows/s", flush=True)  # noqa: T201
    results = []
    for n, rows in enumerate(args.rows):
        result = run_size(settings, rows, names, args.workers, args.max_seconds, 8765 + n)
        print(result, flush=True)  # noqa: T201
        results.append(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report(args, lists, base, results, speed))


def report(
    args: argparse.Namespace,
    lists: list[str],
    base: float,
    results: list[dict[str, float]],
    speed: float,
) -> str:
    lines = [
        "# Batch screening benchmark",
        "",
        f"Command: `python bench/batch_bench.py --rows {' '.join(map(str, args.rows))} --workers {args.workers} "
        f"--max-seconds {args.max_seconds:g} --baseline-rows {args.baseline_rows}`",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, SQLite database; "
        f"a 10M-step Python loop took {speed:.2f} s (machine speed check). "
        "Input: name-only rows, every name distinct: first and last names of the yente negative and UN treated-positive sets recombined (seed 7). "
        "Timed from the start of the upload to the end of the full CSV results download.",
        "",
        "Lists loaded: " + "; ".join(lists),
        "",
        f"Baseline (plain single-process loop over screen_party, {args.baseline_rows:,} rows, no CSV/DB): "
        f"**{base:,.0f} rows/s**",
        "",
        "| rows | input MB | seconds | rows/s | finished | server peak RSS MB | worker peak RSS MB | results MB |",
        "|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {int(r['rows']):,} | {r['input_mb']:.1f} | {r['seconds']:.1f} | {r['rows_per_s']:,.0f} | "
            f"{'yes' if r['status_done'] else 'no (cap reached, ' + format(int(r['rows_read']), ',') + ' rows)'} | "
            f"{r['server_rss']:.0f} | {r['worker_rss']:.0f} | {r['output_mb']:.1f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
