"""When an asset is brought up to date without a schedule of its own: after what it reads.

Ingest follows gathering, the NLP stage follows ingest, and so on to the published copy. The
nightly schedule only starts the gathering (jobs.py); nothing waits a fixed hour for it.
"""

from dagster import AssetSelection, AutomationCondition, AutomationConditionSensorDefinition, DefaultSensorStatus

from .gather.assets import SOURCES_GROUP

# An asset is brought up to date when something it reads was updated (gathering landed pages, or an
# upstream asset was rebuilt) and it has not been since, once nothing it reads is still running. Unlike
# AutomationCondition.eager(), a table never built is not built for that alone: a new deployment starts
# no run until the first gathering or a run someone launches. Assets requested in one evaluation go in
# one run, so a night's gathering is followed by one run of the whole graph.
FOLLOWS_UPSTREAM = (
    AutomationCondition.any_deps_updated().since_last_handled()
    & ~AutomationCondition.any_deps_in_progress()
    & ~AutomationCondition.in_progress()
).with_label("after its upstream is updated")

# Dagster's own sensor for automation conditions starts stopped; this one is ours, on by default, so
# the nightly chain works on a fresh deployment. It evaluates every asset that has a condition.
follow_upstream_sensor = AutomationConditionSensorDefinition(
    "follow_upstream",
    target=AssetSelection.all() - AssetSelection.groups(SOURCES_GROUP),
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=60,
    description="Runs ingest and everything downstream once gathering (or any upstream asset) is updated.",
)
