"""A real Dask cluster on this machine: `dask scheduler` and two `dask worker` processes on 127.0.0.1,
started as separate processes as they would be on separate hosts, read a backfill of WARC archives;
the rows equal those of the run that reads them in its own process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dagster import materialize

from pipeline.core.archive_partitions import extract_archive_partitions, list_archive_files, read_partition_pages
from pipeline.core.cleaning import ExtractionSettings
from pipeline.defs.gather.assets import archive_pages
from pipeline.defs.ingest.assets import ingest_articles
from pipeline.defs.nlp.assets import extract_mentions_and_quotes
from pipeline.resources import DaskCluster, NewsSources, build_resources

from .harness import rows
from .newsroom import HARBOR_LIGHTS, HARBOR_LIGHTS_INTERVIEW, POLITICS, nested_inline_page, news_page, newsroom_weeks, write
from .warc_writer import http_response, warc_record, write_warc

DASK = str(Path(sys.executable).with_name("dask"))


def write_archives(folder: Path, archives: int = 4, pages: int = 12) -> None:
    """Archives of film news, politics and images; one URL is in two archives (the first archive's read counts)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(archives):
        records = []
        for i in range(pages):
            if i % 3 == 0:
                body = news_page(f"Harbor Lights Update {number}-{i}", [f"Update {number}-{i}. " + p for p in HARBOR_LIGHTS])
                records.append(warc_record(f"https://reelledger.example/film/update-{number}-{i}", http_response(body.encode())))
            elif i % 3 == 1:
                body = news_page(f"Budget Vote {number}-{i}", [f"Item {number}-{i}. " + p for p in POLITICS])
                records.append(warc_record(f"https://dailyplanet.example/politics/vote-{number}-{i}",
                                           http_response(body.encode())))
            else:
                records.append(warc_record(f"https://dailyplanet.example/img/{number}-{i}.png", http_response(b"\x89PNG", "image/png")))
        shared = news_page("Harbor Lights Wraps", HARBOR_LIGHTS)
        records.append(warc_record("https://reelledger.example/film/wrap", http_response(shared.encode()),
                                   date=f"2026-11-2{number}T10:00:00Z"))
        write_warc(folder / f"CC-NEWS-2026112{number}.warc.gz", records)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """The scheduler and two workers, each its own process; the scheduler's address."""
    folder = tmp_path_factory.mktemp("cluster")
    scheduler_file = folder / "scheduler.json"
    # Not daemonic: page extraction runs each page in a child process it can stop at the budget.
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    processes = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                   "--scheduler-file", str(scheduler_file)], env=env, cwd=folder,
                                  stdout=subprocess.DEVNULL, stderr=open(folder / "scheduler.log", "w"))]
    try:
        deadline = time.monotonic() + 30
        while not scheduler_file.exists():
            assert time.monotonic() < deadline, (folder / "scheduler.log").read_text()
            time.sleep(0.2)
        for number in range(2):
            processes.append(subprocess.Popen(
                [DASK, "worker", "--scheduler-file", str(scheduler_file), "--host", "127.0.0.1", "--nworkers", "1",
                 "--nthreads", "1", "--no-dashboard", "--name", f"worker-{number}"],
                env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=open(folder / f"worker-{number}.log", "w")))
        from distributed import Client

        with Client(scheduler_file=str(scheduler_file), timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
            address = client.scheduler.address
            worker_pids = set(client.run(os.getpid).values())
        yield address, worker_pids
    finally:
        if len(processes) == 3:
            from distributed import Client

            from pipeline.core.bounded_extraction import stop_worker

            # Each worker's page-extraction process first, or each worker waits on it before it exits.
            with Client(scheduler_file=str(scheduler_file), timeout="10s") as client:
                client.run(stop_worker)
                client.shutdown()  # the scheduler and its workers, as an operator would close them
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _resources(db_path: Path, landing: Path, warc: Path, partitions: Path, dask_cluster: DaskCluster) -> dict:
    res = build_resources(str(db_path), str(landing))
    res["news_sources"] = NewsSources(outlets_path=str(warc / "no-outlets.yaml"), warc_folder=str(warc),
                                      archive_partitions=str(partitions))
    res["dask_cluster"] = dask_cluster
    return res


def _landed(db_path: Path, landing: Path) -> tuple:
    pages = rows(db_path, "select * exclude (recorded_at) from internal.fetched_pages order by url")
    archives = rows(db_path, "select * exclude (processed_at) from internal.processed_archives order by path")
    files = sorted((p.relative_to(landing).as_posix(), p.read_bytes()) for p in landing.rglob("*") if p.is_file())
    return pages, archives, files


def test_a_backfill_read_by_two_workers_lands_the_rows_of_a_single_process_run(tmp_path, cluster):
    address, worker_pids = cluster
    warc = tmp_path / "warc"
    write_archives(warc)

    alone = _resources(tmp_path / "alone.duckdb", tmp_path / "alone-landing", warc, tmp_path / "alone-partitions",
                       DaskCluster(n_workers=1))
    assert materialize([archive_pages], resources=alone).success
    spread = _resources(tmp_path / "spread.duckdb", tmp_path / "spread-landing", warc, tmp_path / "spread-partitions",
                        DaskCluster(scheduler_address=address))
    result = materialize([archive_pages], resources=spread)
    assert result.success

    expected = _landed(tmp_path / "alone.duckdb", tmp_path / "alone-landing")
    assert _landed(tmp_path / "spread.duckdb", tmp_path / "spread-landing") == expected
    pages, archives, files = expected
    assert [status for (_, _, _, status, *_rest) in pages].count("landed") == 4 * 4 + 1
    # The shared URL is recorded once, from the first archive that holds it.
    assert [source for (url, _, source, *_rest) in pages if url.endswith("/film/wrap")] == ["CC-NEWS-20261120.warc.gz"]
    assert len(archives) == 4 and len(files) == 17

    # Each archive was a task of the cluster, read in a worker's process, not in the run's.
    readers = {manifest_pid(tmp_path / "spread-partitions", archive.key) for archive in list_archive_files(warc)}
    assert readers <= worker_pids and os.getpid() not in readers

    # A partition run again replaces its own files; landing it again changes nothing.
    shutil.rmtree(tmp_path / "spread-partitions" / "CC-NEWS-20261121.warc.gz")
    with _connect(tmp_path / "spread.duckdb") as con:
        con.execute("delete from internal.processed_archives where path like '%CC-NEWS-20261121%'")
    assert materialize([archive_pages], resources=spread).success
    assert _landed(tmp_path / "spread.duckdb", tmp_path / "spread-landing") == expected


def test_a_hostile_page_on_a_worker_is_cut_at_its_budget_and_rejected_with_a_reason(tmp_path, cluster):
    from distributed import Client

    address, _ = cluster
    warc = tmp_path / "warc"
    warc.mkdir()
    write_warc(warc / "hostile.warc.gz", [
        warc_record("https://reelledger.example/film/nested", http_response(nested_inline_page(4).encode())),
        warc_record("https://reelledger.example/film/harbor", http_response(news_page("Harbor Lights Sets March Start",
                                                                                      HARBOR_LIGHTS).encode())),
    ])
    with Client(address, timeout="30s") as client:
        (manifest,) = extract_archive_partitions(list_archive_files(warc), str(tmp_path / "partitions"), client,
                                                 ExtractionSettings(time_budget_seconds=2))
    pages = {row["url"]: row for row in read_partition_pages(str(tmp_path / "partitions"), manifest["key"]).iter_rows(named=True)}
    assert pages["https://reelledger.example/film/nested"]["status"] == "rejected"
    assert "took longer than 2 s" in pages["https://reelledger.example/film/nested"]["reason"]
    assert pages["https://reelledger.example/film/harbor"]["status"] == "landed"


def test_the_nlp_pass_on_two_workers_gives_the_rows_of_the_run_alone(tmp_path, cluster):
    from distributed import Client

    address, _ = cluster
    landing = tmp_path / "landing"
    newsroom_weeks(landing)
    write(landing, "c/harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    write(landing, "c/interview.html", news_page("Celia Brandt Won't Talk About Harbor Lights", HARBOR_LIGHTS_INTERVIEW))

    def extracted(name: str, dask_cluster: DaskCluster) -> tuple:
        db = tmp_path / f"{name}.duckdb"
        resources = {**build_resources(str(db), str(landing)), "dask_cluster": dask_cluster}
        assert materialize([ingest_articles, extract_mentions_and_quotes], resources=resources).success
        return (rows(db, "select * from mentions order by article_id, start_char, end_char"),
                rows(db, "select * from quotes order by article_id, start_char"),
                rows(db, "select * from quote_titles order by quote_id, title_entity_id"),
                rows(db, "select * from entities order by entity_id"))

    alone = extracted("alone", DaskCluster())
    assert extracted("spread", DaskCluster(scheduler_address=address)) == alone
    assert len(alone[0]) > 20 and alone[1]
    # Each worker holds the model: loaded once, when the run registered the plugin, not per task.
    with Client(address, timeout="30s") as client:
        plugins = client.run(lambda dask_worker: sorted(dask_worker.plugins))
    assert all("film-news-worker-setup" in names for names in plugins.values()) and len(plugins) == 2


def manifest_pid(partitions: Path, key: str) -> int:
    import json

    return int(json.loads((partitions / key / "manifest.json").read_text())["read_by"].rsplit(":", 1)[1])


def _connect(path: Path):
    import contextlib

    from pipeline import warehouse

    @contextlib.contextmanager
    def connection():
        con = warehouse.connect(path)
        try:
            yield con
        finally:
            con.close()

    return connection()
