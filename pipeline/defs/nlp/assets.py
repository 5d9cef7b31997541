"""The NLP stage: one spaCy pass per article lands its ``mentions``, ``quotes`` and ``events``, and
keeps ``entities`` and ``quote_titles`` up to date with them."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, multi_asset

from ... import warehouse
from ...core.nlp.extraction import ArticleReader, ArticleText, available_cores, stage_version
from ...dictionary import landed_table_spec
from ..automation import FOLLOWS_UPSTREAM
from ..config import StageConfig
from ...resources import DaskCluster, DuckDBWarehouse, NlpSettings
from ...schemas import EntitiesSchema, EventsSchema, MentionsSchema, QuotesSchema, QuoteTitlesSchema, split_valid_rows
from . import store

ENTITIES_GROUP = "entities"
QUOTES_GROUP = "quotes"
EVENTS_GROUP = "events"


@multi_asset(
    name="extract_mentions_and_quotes",
    specs=[
        landed_table_spec(
            "mentions", MentionsSchema, group=ENTITIES_GROUP, kinds={"duckdb", "spacy", "polars"}, deps=["articles"],
            how="spaCy NER plus film-news title rules (quote marks, italics, cue words, award lists), with surnames, "
                "first names, nicknames and misspellings resolved to the full name in the article.",
            automation_condition=FOLLOWS_UPSTREAM,
        ),
        landed_table_spec("entities", EntitiesSchema, group=ENTITIES_GROUP, kinds={"duckdb", "polars"}, deps=["mentions"],
                          automation_condition=FOLLOWS_UPSTREAM),
        landed_table_spec(
            "quotes", QuotesSchema, group=QUOTES_GROUP, kinds={"duckdb", "spacy", "polars"}, deps=["articles", "mentions"],
            how="Quote marks paired by position (straight and curly mixed, nested quotes, paragraphs continued, "
                "two apostrophes as archive text writes them); speakers from the dependency parse (the subject of "
                "the verb of saying that governs the quote, by lemma), then patterns around the marks, resolved to "
                "entities through pronouns, role nouns and spokespeople; reported speech (the clause a verb of "
                "saying or 'according to' governs) as rows of kind 'indirect'.",
            automation_condition=FOLLOWS_UPSTREAM,
        ),
        landed_table_spec("quote_titles", QuoteTitlesSchema, group=QUOTES_GROUP, kinds={"duckdb", "polars"},
                          deps=["quotes", "entities"], automation_condition=FOLLOWS_UPSTREAM),
        landed_table_spec(
            "events", EventsSchema, group=EVENTS_GROUP, kinds={"duckdb", "spacy", "polars"}, deps=["articles", "entities"],
            how="Matcher patterns over lemmas (pipeline/core/nlp/event_patterns.yml) find the word that states the "
                "event; the article's entities nearest to it in the dependency parse fill its slots; MONEY and DATE "
                "spans are made amounts and ISO dates, resolved against the publication date. Negated and "
                "hypothetical statements are left out, hedged and attributed ones marked in certainty; an event "
                "restated in the article is one row. Read in the same pass as mentions and quotes.",
            automation_condition=FOLLOWS_UPSTREAM,
        ),
    ],
)
def extract_mentions_and_quotes(context: AssetExecutionContext, config: StageConfig, warehouse_db: DuckDBWarehouse,
                                nlp: NlpSettings, dask_cluster: DaskCluster):
    """Each new or changed article is parsed once; its mentions, quotes and events replace the old ones in one transaction."""
    processed_at = warehouse.utc_now()
    version = stage_version(nlp.model_name)
    totals = {"articles_processed": 0, "mentions_written": 0, "mentions_dropped_invalid": 0, "entities_refreshed": 0,
              "quotes_written": 0, "quotes_with_speaker": 0, "quotes_dropped_invalid": 0, "events_written": 0,
              "events_dropped_invalid": 0}
    with warehouse_db.connect() as con, warehouse.transaction(con):
        if config.full_refresh:
            for table in (*store.ENTITY_TABLES, *store.QUOTE_TABLES, *store.EVENT_TABLES):
                con.execute(f"delete from {table}")
        todo = store.articles_needing_nlp(con, version, nlp.languages)
        processes = nlp.n_process or available_cores()
        batches = [todo[i:i + max(1, config.batch_size)] for i in range(0, len(todo), max(1, config.batch_size))]
        with dask_cluster.client_for_nlp(len(todo), nlp.model_name) as client, \
                ArticleReader(nlp.model_name, processes, len(todo), nlp.batch_size, dask_client=client) as reader:
            context.log.info(f"{len(todo)} articles need mentions and quotes"
                             + (f" ({reader.processes} worker processes)" if reader.uses_workers else ""))
            pending = None
            for batch_ids in batches:
                rows = warehouse.query_frame(
                    con,
                    "select article_id, text, italic_spans, title, published_date from articles "
                    "where article_id in (select unnest(?::varchar[])) order by article_id",
                    [batch_ids],
                ).iter_rows()
                articles = [ArticleText(article_id, text, tuple(tuple(s) for s in italic_spans or ()), title, published)
                            for article_id, text, italic_spans, title, published in rows]
                # The next batch is read while this process writes the previous one.
                submitted = (batch_ids, reader.submit_frames(articles))
                if pending is not None:
                    _land(con, context, *pending, version, processed_at, totals)
                pending = submitted
            if pending is not None:
                _land(con, context, *pending, version, processed_at, totals)
        summary = _summary(con)
    yield MaterializeResult(
        asset_key="mentions",
        metadata={**{k: MetadataValue.int(int(v)) for k, v in totals.items() if not k.startswith(("quotes", "events"))},
                  "dagster/row_count": MetadataValue.int(summary["mention_rows"])},
    )
    yield MaterializeResult(
        asset_key="entities",
        metadata={
            "dagster/row_count": MetadataValue.int(summary["entity_rows"]),
            "by_type": MetadataValue.md(summary["by_type"]),
            "most_mentioned": MetadataValue.md(summary["top_entities"]),
        },
    )
    yield MaterializeResult(
        asset_key="quotes",
        metadata={
            **{k: MetadataValue.int(int(v)) for k, v in totals.items() if k.startswith(("quotes", "articles"))},
            "dagster/row_count": MetadataValue.int(summary["quote_rows"]),
            "newest_quotes": MetadataValue.md(summary["newest_quotes"]),
            "most_quoted": MetadataValue.md(summary["top_speakers"]),
        },
    )
    yield MaterializeResult(asset_key="quote_titles", metadata={"dagster/row_count": MetadataValue.int(summary["link_rows"])})
    yield MaterializeResult(
        asset_key="events",
        metadata={
            **{k: MetadataValue.int(int(v)) for k, v in totals.items() if k.startswith("events")},
            "dagster/row_count": MetadataValue.int(summary["event_rows"]),
            "by_kind": MetadataValue.md(summary["events_by_kind"]),
            "newest_events": MetadataValue.md(summary["newest_events"]),
        },
    )


def _land(con, context, batch_ids: list[str], pending, version: str, processed_at, totals: dict) -> None:
    """Validate one batch's rows and swap them in for the batch's articles."""
    frames = pending.result()
    mentions, mention_failures = split_valid_rows(MentionsSchema, frames.mentions)
    if mention_failures:
        context.log.warning(f"{len(mention_failures)} mentions failed the schema and were dropped: "
                            f"{list(mention_failures.values())[:3]}")
    affected = store.replace_mentions(con, batch_ids, mentions)
    store.refresh_entities(con, affected)
    store.mark_entities_processed(con, batch_ids, version, processed_at)
    EntitiesSchema.validate(warehouse.query_frame(
        con, "select * from entities where entity_id in (select unnest(?::varchar[]))", [affected]))

    links = frames.quote_titles
    quotes, quote_failures = split_valid_rows(QuotesSchema, frames.quotes)
    if quote_failures:
        context.log.warning(f"{len(quote_failures)} quotes failed the schema and were dropped: "
                            f"{list(quote_failures.values())[:3]}")
        links = links.filter(links["quote_id"].is_in(quotes["quote_id"].implode()))
    QuoteTitlesSchema.validate(links)
    store.replace_quotes(con, batch_ids, quotes, links, processed_at, version)

    events, event_failures = split_valid_rows(EventsSchema, frames.events)
    if event_failures:
        context.log.warning(f"{len(event_failures)} events failed the schema and were dropped: "
                            f"{list(event_failures.values())[:3]}")
    store.replace_events(con, batch_ids, events)

    totals["articles_processed"] += len(batch_ids)
    totals["mentions_written"] += mentions.height
    totals["mentions_dropped_invalid"] += len(mention_failures)
    totals["entities_refreshed"] += len(affected)
    totals["quotes_written"] += quotes.height
    totals["quotes_with_speaker"] += int(quotes["speaker"].is_not_null().sum())
    totals["quotes_dropped_invalid"] += len(quote_failures)
    totals["events_written"] += events.height
    totals["events_dropped_invalid"] += len(event_failures)


def _summary(con) -> dict:
    """Row counts and previews for the run's metadata."""
    return {
        "mention_rows": warehouse.scalar(con, "select count(*) from mentions"),
        "entity_rows": warehouse.scalar(con, "select count(*) from entities"),
        "quote_rows": warehouse.scalar(con, "select count(*) from quotes"),
        "link_rows": warehouse.scalar(con, "select count(*) from quote_titles"),
        "event_rows": warehouse.scalar(con, "select count(*) from events"),
        "events_by_kind": warehouse.frame_to_markdown(warehouse.query_frame(
            con, "select kind, count(*) as events, count(distinct article_id) as articles from events group by 1 order by 1")),
        "newest_events": warehouse.frame_to_markdown(warehouse.query_frame(
            con,
            """
            select a.published_date, ev.kind, ev.status, t.name as title, coalesce(p.name, o.name) as who, ev.amount, ev.event_date
            from events ev join articles a using (article_id)
            left join entities t on t.entity_id = ev.title_entity_id
            left join entities p on p.entity_id = ev.person_entity_id
            left join entities o on o.entity_id = ev.org_entity_id
            order by a.published_date desc nulls last, ev.article_id, ev.evidence_start limit 8
            """), max_width=60),
        "by_type": warehouse.frame_to_markdown(warehouse.query_frame(
            con, "select entity_type, count(*) as entities, sum(article_count) as article_mentions "
                 "from entities group by 1 order by 1")),
        "top_entities": warehouse.frame_to_markdown(warehouse.query_frame(
            con, "select name, entity_type, article_count, aliases from entities order by article_count desc, name limit 10")),
        "newest_quotes": warehouse.frame_to_markdown(warehouse.query_frame(
            con,
            """
            select coalesce(q.speaker, '(unattributed)') as speaker, q.kind, q.cue, a.published_date, q.text as quote
            from quotes q join articles a using (article_id)
            order by a.published_date desc nulls last, q.article_id, q.start_char limit 8
            """), max_width=80),
        # Originals only, as the views count: a wire story re-posted by ten sites is quoted once.
        "top_speakers": warehouse.frame_to_markdown(warehouse.query_frame(
            con, "select q.speaker, count(*) as quotes, count(distinct q.article_id) as articles "
                 "from quotes q join articles a using (article_id) "
                 "where q.speaker is not null and a.duplicate_of is null group by 1 order by 2 desc, 1 limit 10")),
    }
