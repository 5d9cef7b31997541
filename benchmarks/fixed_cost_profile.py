"""Where the fixed cost of a ``film-news run`` goes: CPU and wall time per phase of one run.

Usage:  python benchmarks/fixed_cost_profile.py CORPUS DATABASE [--dagster-home DIR]

Runs ``film-news run --input CORPUS --db DATABASE`` in this process (a fresh interpreter, so the
imports are measured as a run pays them) with a timer around each phase: the imports, loading the
definitions, the Dagster instance, the events the run stores in the instance's event log (those
stored when the run is created, one for each asset and check it plans, apart), each step's own
work, and the summary. Then the CPU time of the whole process tree, the fork server and its NLP
workers included: this process adopts them (``PR_SET_CHILD_SUBREAPER``) and reaps them, so their
time is counted however they end. The phases nest (the events and the steps are parts of
``execute_in_process``), so they do not add up to the total.

On a warehouse that already holds every article of CORPUS this is a run with nothing new, the
fixed cost of a run (``make bench`` measures its wall time). CPU time is the figure to compare on a
shared machine: wall time there grows with the other processes' load, CPU time hardly does.
"""

from __future__ import annotations

import argparse
import collections
import ctypes
import functools
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_TOTALS: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0, 0])


def _add(name: str, cpu_started: float, wall_started: float) -> None:
    total = _TOTALS[name]
    total[0] += time.process_time() - cpu_started
    total[1] += time.perf_counter() - wall_started
    total[2] += 1


def _timed(owner, attribute: str, name: str) -> None:
    """Wrap ``owner.attribute`` (a function or method) so each call adds its CPU and wall time to ``name``."""
    function = getattr(owner, attribute)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _add(name, cpu, wall)

    setattr(owner, attribute, wrapper)


def _adopt_orphans() -> None:
    """Make this process the reaper of its descendants, so the fork server's tree is counted."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass  # not Linux: the tree's figure then misses the fork server's


def _stop_fork_server() -> None:
    from multiprocessing import forkserver

    server = forkserver._forkserver
    if getattr(server, "_forkserver_pid", None):
        server._stop()


def _reap_descendants(patience: float = 30.0) -> None:
    """Wait for the run's processes to end, all but multiprocessing's resource tracker (which ends
    with this process, so its few milliseconds are not counted)."""
    from multiprocessing import resource_tracker

    tracker = getattr(resource_tracker._resource_tracker, "_pid", None)
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            others = [p for p in _children() if p != tracker]
            if not others:
                return
            time.sleep(0.1)


def _children() -> list[int]:
    try:
        with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children") as handle:
            return [int(pid) for pid in handle.read().split()]
    except OSError:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("database", type=Path)
    parser.add_argument("--dagster-home", type=Path, help="the instance to record the run in (default: DAGSTER_HOME)")
    args = parser.parse_args()
    if args.dagster_home:
        args.dagster_home.mkdir(parents=True, exist_ok=True)
        os.environ["DAGSTER_HOME"] = str(args.dagster_home)
    _adopt_orphans()
    cpu0, wall0 = time.process_time(), time.perf_counter()

    cpu, wall = time.process_time(), time.perf_counter()
    import dagster  # noqa: F401

    from pipeline import cli
    _add("imports (dagster, the command)", cpu, wall)
    cpu, wall = time.process_time(), time.perf_counter()
    import pipeline.definitions  # noqa: F401
    _add("definitions load (defs/, SQL models)", cpu, wall)

    from dagster._core.instance.runs import run_domain
    from dagster._core.storage.event_log.sqlite import sqlite_event_log

    import pipeline.defs.analytics.search as search_asset
    import pipeline.defs.analytics.sql_models as sql_models
    import pipeline.defs.ingest.assets as ingest_assets
    import pipeline.defs.ingest.checks as ingest_checks
    import pipeline.defs.nlp.assets as nlp_assets
    import pipeline.defs.nlp.checks as nlp_checks
    import pipeline.defs.publish.assets as publish_assets
    import pipeline.instance as project_instance
    from pipeline.core.nlp import extraction

    _timed(project_instance, "prepare_instance", "instance")
    _timed(sqlite_event_log.SqliteEventLogStorage, "store_event", "events stored (all)")
    _timed(run_domain.RunDomain, "_log_asset_planned_events", "  events stored at run creation (planned)")
    _timed(dagster.JobDefinition, "execute_in_process", "execute_in_process (the run)")
    _timed(ingest_assets, "_ingest_batch", "  ingest: batches")
    _timed(ingest_assets.store, "files_to_process", "  ingest: listing against landed files")
    _timed(ingest_checks, "table_matches_schema", "  ingest checks: Pandera over tables")
    _timed(ingest_checks, "problem_rows_result", "  ingest checks: SQL")
    _timed(nlp_assets, "stage_version", "  nlp: stage version")
    _timed(nlp_assets.store, "articles_needing_nlp", "  nlp: articles needing a pass")
    _timed(nlp_assets, "_land", "  nlp: landing batches")
    _timed(nlp_assets, "_summary", "  nlp: materialization summary")
    _timed(extraction, "read_articles", "  nlp: reading in this process")
    _timed(nlp_checks, "table_matches_schema", "  nlp checks: Pandera over tables")
    _timed(nlp_checks, "problem_rows_result", "  nlp checks: SQL")
    _timed(search_asset, "update_index", "  search index update")
    _timed(sql_models, "build_model", "  SQL models built, with their tests")
    _timed(publish_assets.store, "publish_snapshot", "  publish the read copy")
    _timed(cli, "_print_summary", "summary printed")

    stdout = sys.stdout
    sys.stdout = open(os.devnull, "w")
    try:
        code = cli.main(["run", "--input", str(args.corpus), "--db", str(args.database)])
    finally:
        sys.stdout.close()
        sys.stdout = stdout
    _add("main process, all", cpu0, wall0)
    _stop_fork_server()
    _reap_descendants()
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    tree = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    print(f"film-news run exit {code}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print(f"{'phase':48s} {'CPU s':>7s} {'wall s':>7s} {'calls':>6s}")
    for name, (cpu_seconds, wall_seconds, calls) in _TOTALS.items():
        print(f"{name:48s} {cpu_seconds:7.2f} {wall_seconds:7.2f} {calls:6d}")
    print(f"{'process tree (fork server, workers included)':48s} {tree:7.2f} {time.perf_counter() - wall0:7.2f}")
    sys.stdout.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
