"""Archives as partitions: a partition a WARC file, added as files arrive, read by a run of its own;
archive_pages lands the partitions written and reads only the archives no run has read."""

from __future__ import annotations

import os
import time
from pathlib import Path

from dagster import DagsterInstance, build_sensor_context, materialize

from pipeline.core.archive_partitions import written_partitions
from pipeline.defs.gather.archive_partitions import ARCHIVE_FILES, archive_files_sensor, archive_partition_job
from pipeline.defs.gather.assets import archive_pages
from pipeline.resources import DaskCluster, NewsSources, build_resources

from .harness import rows
from .newsroom import HARBOR_LIGHTS, POLITICS, news_page
from .warc_writer import http_response, warc_record, write_warc


def write_archive(folder: Path, name: str, number: int) -> None:
    film = news_page(f"Harbor Lights Update {number}", [f"Update {number}. " + p for p in HARBOR_LIGHTS])
    politics = news_page(f"Budget Vote {number}", [f"Item {number}. " + p for p in POLITICS])
    write_warc(folder / name, [
        warc_record(f"https://reelledger.example/film/update-{number}", http_response(film.encode())),
        warc_record(f"https://dailyplanet.example/politics/vote-{number}", http_response(politics.encode())),
    ])


def test_each_new_archive_becomes_a_partition_read_by_its_own_run_and_landed_once(tmp_path, landing, db_path):
    warc = tmp_path / "warc"
    warc.mkdir()
    write_archive(warc, "CC-NEWS-1.warc.gz", 1)
    sources = NewsSources(outlets_path=str(tmp_path / "no-outlets.yaml"), warc_folder=str(warc))
    resources = {**build_resources(str(db_path), str(landing)), "news_sources": sources, "dask_cluster": DaskCluster(n_workers=1)}

    with DagsterInstance.ephemeral() as instance:
        # The sensor adds a partition for each archive it has not seen, and nothing when none is new.
        first = archive_files_sensor(build_sensor_context(instance=instance, resources={"news_sources": sources}))
        instance.add_dynamic_partitions(ARCHIVE_FILES.name, list(first.dynamic_partitions_requests[0].partition_keys))
        assert instance.get_dynamic_partitions(ARCHIVE_FILES.name) == ["CC-NEWS-1.warc.gz"]
        assert archive_files_sensor(build_sensor_context(instance=instance, resources={"news_sources": sources})).skip_message
        write_archive(warc, "CC-NEWS-2.warc.gz", 2)
        second = archive_files_sensor(build_sensor_context(instance=instance, resources={"news_sources": sources}))
        assert list(second.dynamic_partitions_requests[0].partition_keys) == ["CC-NEWS-2.warc.gz"]

        # One partition's run reads its archive into its folder, and nothing into the warehouse.
        run = archive_partition_job.execute_in_process(partition_key="CC-NEWS-1.warc.gz", instance=instance,
                                                       resources=resources)
        assert run.success
    assert list(written_partitions(sources.partitions_path)) == ["CC-NEWS-1.warc.gz"]
    assert not db_path.exists() or rows(db_path, "select count(*) from internal.fetched_pages") == [(0,)]

    # archive_pages lands it without reading it again, and reads the archive no run has read.
    result = materialize([archive_pages], resources=resources)
    metadata = result.get_asset_materialization_events()[0].step_materialization_data.materialization.metadata
    assert metadata["archives_read_here"].value == 1 and metadata["archives_read"].value == 2
    assert rows(db_path, "select source, status from internal.fetched_pages order by url") == [
        ("CC-NEWS-1.warc.gz", "filtered_out"), ("CC-NEWS-2.warc.gz", "filtered_out"),
        ("CC-NEWS-1.warc.gz", "landed"), ("CC-NEWS-2.warc.gz", "landed")]
    assert len(list(landing.rglob("*.html"))) == 2

    # A partition read again replaces its own files (no second copy, no half-written folder left), and
    # lands again in place of its earlier rows.
    time.sleep(1)  # the warehouse's clock counts whole seconds
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions(ARCHIVE_FILES.name, ["CC-NEWS-1.warc.gz"])
        assert archive_partition_job.execute_in_process(partition_key="CC-NEWS-1.warc.gz", instance=instance,
                                                        resources=resources).success
    assert sorted(p.name for p in Path(sources.partitions_path).iterdir()) == ["CC-NEWS-1.warc.gz", "CC-NEWS-2.warc.gz"]
    before = rows(db_path, "select * exclude (recorded_at) from internal.fetched_pages order by url")
    again = materialize([archive_pages], resources=resources)
    metadata = again.get_asset_materialization_events()[0].step_materialization_data.materialization.metadata
    assert metadata["archives_read_here"].value == 0 and metadata["archives_read"].value == 1
    assert rows(db_path, "select * exclude (recorded_at) from internal.fetched_pages order by url") == before
    once_more = materialize([archive_pages], resources=resources)
    assert once_more.get_asset_materialization_events()[0].step_materialization_data.materialization.metadata[
        "archives_read"].value == 0


def test_a_partition_whose_archive_is_gone_fails_saying_so(tmp_path, landing, db_path):
    sources = NewsSources(outlets_path=str(tmp_path / "no-outlets.yaml"), warc_folder=str(tmp_path / "warc"))
    resources = {**build_resources(str(db_path), str(landing)), "news_sources": sources}
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions(ARCHIVE_FILES.name, ["CC-NEWS-9.warc.gz"])
        run = archive_partition_job.execute_in_process(partition_key="CC-NEWS-9.warc.gz", instance=instance,
                                                       resources=resources, raise_on_error=False)
    assert not run.success
    (failure,) = [e for e in run.all_events if e.event_type_value == "STEP_FAILURE"]
    assert "is not in the archive folder" in failure.event_specific_data.error.message


def test_new_archives_fan_out_on_a_local_cluster_and_a_damaged_one_keeps_the_pages_before_the_damage(tmp_path, landing, db_path):
    warc = tmp_path / "warc"
    warc.mkdir()
    write_archive(warc, "CC-NEWS-1.warc.gz", 1)
    write_archive(warc, "CC-NEWS-2.warc.gz", 2)
    # Cut short: its first record whole, then bytes that are no gzip member.
    damaged = warc / "CC-NEWS-2.warc.gz"
    first_member = write_warc(tmp_path / "first.warc.gz", [warc_record(
        "https://reelledger.example/film/update-2", http_response(news_page("Harbor Lights Update 2", [
            "Update 2. " + p for p in HARBOR_LIGHTS]).encode()))]).read_bytes()
    damaged.write_bytes(first_member + b"\x1f\x8b\x08\x00garbage" * 50)
    sources = NewsSources(outlets_path=str(tmp_path / "no-outlets.yaml"), warc_folder=str(warc))
    # The default: as many workers as cores, a LocalCluster once two archives or more are new.
    resources = {**build_resources(str(db_path), str(landing)), "news_sources": sources, "dask_cluster": DaskCluster(n_workers=2)}

    result = materialize([archive_pages], resources=resources)
    assert result.success
    metadata = result.get_asset_materialization_events()[0].step_materialization_data.materialization.metadata
    assert "CC-NEWS-2.warc.gz: the archive could not be read past its first 1 HTML page(s)" in metadata["archive_errors"].value
    assert "download it again" in metadata["archive_errors"].value
    assert rows(db_path, "select source, status from internal.fetched_pages order by url") == [
        ("CC-NEWS-1.warc.gz", "filtered_out"), ("CC-NEWS-1.warc.gz", "landed"), ("CC-NEWS-2.warc.gz", "landed")]
    readers = {manifest["read_by"] for manifest in written_partitions(sources.partitions_path).values()}
    assert all(not reader.endswith(f":{os.getpid()}") for reader in readers), "read by the cluster's workers"


def test_a_daemonic_dask_worker_is_refused_with_how_to_start_it():
    import dask
    import pytest
    from distributed import Client, LocalCluster

    from pipeline.core.distributed import WorkerSetupPlugin, WorkersCannotKeepBudgets

    # Dask's default: workers are daemonic processes, which may not start page extraction's child process.
    with dask.config.set({"distributed.worker.daemon": True}):
        cluster = LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address="127.0.0.1:0")
    try:
        with Client(cluster) as client, pytest.raises(WorkersCannotKeepBudgets, match="DASK_DISTRIBUTED__WORKER__DAEMON=False"):
            client.register_plugin(WorkerSetupPlugin())
    finally:
        cluster.close()
