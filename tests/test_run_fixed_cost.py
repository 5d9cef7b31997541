"""What a run pays for only when it has articles to read: the fork server the NLP workers come from,
which loads spaCy and the model (2.75 CPU seconds, docs/deployment.md)."""

import pytest
from dagster import materialize

from pipeline.core.nlp import extraction
from pipeline.core.nlp.extraction import MIN_ARTICLES_FOR_WORKERS
from pipeline.defs.ingest.assets import ingest_articles
from pipeline.defs.nlp.assets import extract_mentions_and_quotes
from pipeline.resources import NlpSettings, build_resources

STORY = ("date 2026-03-02\nMarlow Pictures set a March release for Harbor Lights, the drama directed by "
         "Dana Whitlock, after test screenings in Toronto went better than expected.\n")


@pytest.fixture
def worker_servers_started(monkeypatch):
    started = []
    monkeypatch.setattr(extraction, "start_worker_server", lambda: started.append("fork server"))
    monkeypatch.delenv("FILM_NEWS_DASK_SCHEDULER", raising=False)
    return started


def two_core_resources(tmp_path, landing):
    return {**build_resources(str(tmp_path / "warehouse.duckdb"), str(landing)), "nlp": NlpSettings(n_process=2)}


def test_a_run_with_nothing_new_starts_no_nlp_workers(tmp_path, worker_servers_started):
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "harbor.txt").write_text(STORY, encoding="utf-8")
    resources = two_core_resources(tmp_path, landing)
    assert materialize([ingest_articles, extract_mentions_and_quotes], resources=resources).success
    assert worker_servers_started == [], "one new article is read in the run's own process"

    again = materialize([ingest_articles, extract_mentions_and_quotes], resources=resources)
    assert again.success
    assert worker_servers_started == []


def test_ingest_gets_the_workers_ready_when_enough_files_are_new(tmp_path, worker_servers_started):
    landing = tmp_path / "landing"
    landing.mkdir()
    for number in range(MIN_ARTICLES_FOR_WORKERS):
        (landing / f"story-{number:03d}.txt").write_text(STORY.replace("Toronto", f"Toronto ({number})"), encoding="utf-8")
    assert materialize([ingest_articles], resources=two_core_resources(tmp_path, landing)).success
    assert worker_servers_started == ["fork server"]
