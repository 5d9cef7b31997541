"""Archives as partitions: one partition a WARC file, added as files arrive, each read by its own run.

The reading of one archive (``pipeline/core/archive_partitions.py``) is a partitioned job, not a
partitioned asset: a partitioned asset anywhere in the graph turns *Materialize all* into a dialog
asking for partitions, and the landing folder's graph is to stay one click. ``archive_pages`` (the
asset) lands whatever partitions are written, and reads any new archive no partition run has read,
so the nightly chain needs none of this; the job is for backfills chosen by archive (the UI's
partitions tab of ``archive_partition_job``: one run per archive, each replacing its own partition)
and re-reading one archive. On a Dask cluster the run hands its archive to a worker.
"""

from pathlib import Path

from dagster import (
    DefaultSensorStatus,
    DynamicPartitionsDefinition,
    Failure,
    OpExecutionContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    job,
    op,
    sensor,
)

from ...core.archive_partitions import extract_archive_partitions, list_archive_files
from ...resources import DaskCluster, NewsSources

ARCHIVE_FILES = DynamicPartitionsDefinition(name="archive_files")


@op(description="Read one WARC archive (the run's partition) into its partition folder, as Parquet.")
def read_archive_partition(context: OpExecutionContext, news_sources: NewsSources, dask_cluster: DaskCluster) -> None:
    key = context.partition_key
    archive = next((a for a in list_archive_files(Path(news_sources.warc_folder)) if a.key == key), None)
    if archive is None:
        raise Failure(f"the archive {key} is not in the archive folder {news_sources.warc_folder} (moved or deleted?); "
                      "put it back, or delete the partition in the UI")
    with dask_cluster.client_for(1) as client:
        (manifest,) = extract_archive_partitions([archive], news_sources.partitions_path, client)
    if manifest["error"]:
        context.log.warning(f"{key}: {manifest['error']}")
    context.log.info(f"{key}: kept {manifest['pages_kept']} of {manifest['pages_seen']} HTML pages, "
                     f"written to {news_sources.partitions_path}/{key} by {manifest['read_by']}; "
                     "archive_pages lands it")


@job(partitions_def=ARCHIVE_FILES, description="Read one archive file into its partition (archive_pages lands it).")
def archive_partition_job():
    read_archive_partition()


@sensor(
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Adds a partition of archive_partition_job for each new WARC file in the archive folder.",
)
def archive_files_sensor(context: SensorEvaluationContext, news_sources: NewsSources):
    known = set(context.instance.get_dynamic_partitions(ARCHIVE_FILES.name))
    new = [a.key for a in list_archive_files(Path(news_sources.warc_folder)) if a.key not in known]
    if not new:
        return SkipReason(f"no new archive in {news_sources.warc_folder}")
    return SensorResult(dynamic_partitions_requests=[ARCHIVE_FILES.build_add_request(new)])
