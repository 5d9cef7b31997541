"""The resources every asset, check and sensor of the project uses, and how a run executes."""

from dagster import Definitions, definitions, in_process_executor

from ..resources import build_resources


@definitions
def resources() -> Definitions:
    return Definitions(
        resources=build_resources(),
        # One process per run: DuckDB allows one writer, so steps of a run must not write in parallel.
        executor=in_process_executor,
    )
