"""The ``mentions`` and ``entities`` assets: who and what each article names, resolved across the dataset."""

from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, MetadataValue, multi_asset

from .. import warehouse
from ..core import entities as entity_rules, given_names, lexicon, places
from ..core.entities import extract_entity_mentions, mentions_frame
from ..core.nlp.pipeline import MEDIA_ORGANISATIONS_FILE, rules_version
from ..dictionary import schema_markdown
from .config import StageConfig
from ..resources import DuckDBWarehouse, NlpSettings
from ..schemas import EntitiesSchema, MentionsSchema, split_valid_rows

ENTITIES_GROUP = "entities"



@multi_asset(
    name="extract_entities",
    specs=[
        AssetSpec(
            "mentions",
            deps=["articles"],
            group_name=ENTITIES_GROUP,
            kinds={"duckdb", "spacy", "polars"},
            description=schema_markdown(MentionsSchema) + "\n\n" + (
                " spaCy NER plus film-news title rules (quote marks, italics, cue words, sequels), "
                "with surnames, first names, nicknames and misspellings resolved to the full name in the article."
            ),
        ),
        AssetSpec(
            "entities",
            deps=["mentions"],
            group_name=ENTITIES_GROUP,
            kinds={"duckdb", "polars"},
            description=schema_markdown(EntitiesSchema),
        ),
    ],
)
def extract_entities(context: AssetExecutionContext, config: StageConfig, warehouse_db: DuckDBWarehouse, nlp: NlpSettings):
    processed_at = warehouse.utc_now()
    totals = {"articles_processed": 0, "mentions_written": 0, "mentions_dropped_invalid": 0, "entities_refreshed": 0}
    with warehouse_db.connect() as con, warehouse.transaction(con):
        if config.full_refresh:
            for table in warehouse.ENTITY_TABLES:
                con.execute(f"delete from {table}")
        # The state records the model and a version of our rules: a changed recognizer or lexicon
        # re-extracts every landed article on the next run, with no full refresh.
        version = f"{nlp.model_name}:{rules_version(entity_rules, lexicon, given_names, places, MEDIA_ORGANISATIONS_FILE)}"
        todo = warehouse.articles_needing_entities(con, version, nlp.languages)
        context.log.info(f"{len(todo)} articles need entity extraction")
        for offset in range(0, len(todo), max(1, config.batch_size)):
            batch_ids = todo[offset:offset + config.batch_size]
            batch = warehouse.query_frame(
                con,
                "select article_id, text, italic_spans, title from articles where article_id in (select unnest(?::varchar[])) order by article_id",
                [batch_ids],
            )
            by_article = extract_entity_mentions(
                list(batch.iter_rows()), nlp.model_name, batch_size=nlp.batch_size, n_process=nlp.n_process,
            )
            frame, failures = split_valid_rows(MentionsSchema, mentions_frame(by_article))
            if failures:
                context.log.warning(f"{len(failures)} mentions failed the schema and were dropped: {list(failures.values())[:3]}")
            affected = warehouse.replace_mentions(con, batch_ids, frame)
            warehouse.refresh_entities(con, affected)
            warehouse.mark_entities_processed(con, batch_ids, version, processed_at)
            EntitiesSchema.validate(warehouse.query_frame(
                con, "select * from entities where entity_id in (select unnest(?::varchar[]))", [affected]))
            totals["articles_processed"] += len(batch_ids)
            totals["mentions_written"] += frame.height
            totals["mentions_dropped_invalid"] += len(failures)
            totals["entities_refreshed"] += len(affected)
        mention_rows = warehouse.scalar(con, "select count(*) from mentions")
        entity_rows = warehouse.scalar(con, "select count(*) from entities")
        by_type = warehouse.query_frame(
            con, "select entity_type, count(*) as entities, sum(article_count) as article_mentions from entities group by 1 order by 1"
        )
        top_entities = warehouse.query_frame(
            con, "select name, entity_type, article_count, aliases from entities order by article_count desc, name limit 10"
        )
    yield MaterializeResult(
        asset_key="mentions",
        metadata={**{k: MetadataValue.int(v) for k, v in totals.items()}, "dagster/row_count": MetadataValue.int(mention_rows)},
    )
    yield MaterializeResult(
        asset_key="entities",
        metadata={
            "dagster/row_count": MetadataValue.int(entity_rows),
            "by_type": MetadataValue.md(warehouse.frame_to_markdown(by_type)),
            "most_mentioned": MetadataValue.md(warehouse.frame_to_markdown(top_entities)),
        },
    )
