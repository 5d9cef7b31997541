"""The ``quotes`` and ``quote_titles`` assets: who said what, and about which title."""

from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, MetadataValue, multi_asset

from .. import warehouse
from ..core import given_names, lexicon, quotes as quote_rules
from ..core.nlp import attribution as attribution_rules
from ..core.nlp.pipeline import SPEECH_CUES_FILE, load_pipeline, rules_version
from ..core.quotes import Mention, extract_quotes, quote_frames
from ..dictionary import schema_markdown
from .config import StageConfig
from ..resources import DuckDBWarehouse, NlpSettings
from ..schemas import QuotesSchema, QuoteTitlesSchema, split_valid_rows

QUOTES_GROUP = "quotes"



@multi_asset(
    name="extract_quotes",
    specs=[
        AssetSpec(
            "quotes",
            deps=["articles", "mentions", "entities"],
            group_name=QUOTES_GROUP,
            kinds={"duckdb", "polars", "python"},
            description=schema_markdown(QuotesSchema) + "\n\n" + (
                " Quote marks paired by position (straight and curly mixed, nested quotes, paragraphs continued, "
                "two apostrophes as archive text writes them); speakers from the dependency parse (the subject of "
                "the verb of saying that governs the quote, by lemma), then patterns around the marks, resolved to "
                "entities through pronouns, role nouns and spokespeople; reported speech (the clause a verb of "
                "saying or 'according to' governs) as rows of kind 'indirect'."
            ),
        ),
        AssetSpec(
            "quote_titles",
            deps=["quotes", "entities"],
            group_name=QUOTES_GROUP,
            kinds={"duckdb", "polars"},
            description=schema_markdown(QuoteTitlesSchema),
        ),
    ],
)
def extract_quotes_asset(context: AssetExecutionContext, config: StageConfig, warehouse_db: DuckDBWarehouse, nlp: NlpSettings):
    processed_at = warehouse.utc_now()
    # The rules (cue lexicon, attribution code) and the model are part of what an article's quotes depend on.
    version = f"{nlp.model_name}:{rules_version(quote_rules, attribution_rules, lexicon, given_names, SPEECH_CUES_FILE)}"
    totals = {"articles_processed": 0, "quotes_written": 0, "quotes_with_speaker": 0, "quotes_dropped_invalid": 0}
    with warehouse_db.connect() as con, warehouse.transaction(con):
        if config.full_refresh:
            for table in warehouse.QUOTE_TABLES:
                con.execute(f"delete from {table}")
        todo = warehouse.articles_needing_quotes(con, version)
        parser = load_pipeline(nlp.model_name, with_ner=False) if todo else None
        context.log.info(f"{len(todo)} articles need quote extraction")
        for offset in range(0, len(todo), max(1, config.batch_size)):
            batch_ids = todo[offset:offset + config.batch_size]
            texts = dict(con.execute(
                "select article_id, text from articles where article_id in (select unnest(?::varchar[]))", [batch_ids]
            ).fetchall())
            mentions: dict[str, list[Mention]] = {article_id: [] for article_id in batch_ids}
            for article_id, start, end, text, entity_type, name, entity_id, method in con.execute(
                "select article_id, start_char, end_char, text, entity_type, entity_name, entity_id, method from mentions "
                "where article_id in (select unnest(?::varchar[])) order by article_id, start_char",
                [batch_ids],
            ).fetchall():
                mentions[article_id].append(Mention(start, end, text, entity_type, name, entity_id, method))
            present = [article_id for article_id in batch_ids if article_id in texts]
            docs = parser.pipe((texts[article_id] for article_id in present), batch_size=nlp.batch_size)
            extracted = {
                article_id: (texts[article_id], extract_quotes(texts[article_id], mentions[article_id], doc), mentions[article_id])
                for article_id, doc in zip(present, docs)
            }
            quotes, links = quote_frames(extracted)
            quotes, failures = split_valid_rows(QuotesSchema, quotes)
            if failures:
                context.log.warning(f"{len(failures)} quotes failed the schema and were dropped: {list(failures.values())[:3]}")
                links = links.filter(links["quote_id"].is_in(quotes["quote_id"].implode()))
            QuoteTitlesSchema.validate(links)
            warehouse.replace_quotes(con, batch_ids, quotes, links, processed_at, version)
            totals["articles_processed"] += len(batch_ids)
            totals["quotes_written"] += quotes.height
            totals["quotes_with_speaker"] += quotes["speaker"].is_not_null().sum()
            totals["quotes_dropped_invalid"] += len(failures)
        quote_rows = warehouse.scalar(con, "select count(*) from quotes")
        link_rows = warehouse.scalar(con, "select count(*) from quote_titles")
        preview = warehouse.query_frame(
            con,
            """
            select coalesce(q.speaker, '(unattributed)') as speaker, q.cue, a.published_date, left(q.text, 80) as quote
            from quotes q join articles a using (article_id)
            order by a.published_date desc nulls last, q.article_id, q.start_char limit 8
            """,
        )
        top_speakers = warehouse.query_frame(
            con, "select speaker, count(*) as quotes from quotes where speaker is not null group by 1 order by 2 desc, 1 limit 10"
        )
    yield MaterializeResult(
        asset_key="quotes",
        metadata={
            **{k: MetadataValue.int(int(v)) for k, v in totals.items()},
            "dagster/row_count": MetadataValue.int(quote_rows),
            "newest_quotes": MetadataValue.md(warehouse.frame_to_markdown(preview, max_width=80)),
            "most_quoted": MetadataValue.md(warehouse.frame_to_markdown(top_speakers)),
        },
    )
    yield MaterializeResult(asset_key="quote_titles", metadata={"dagster/row_count": MetadataValue.int(link_rows)})
