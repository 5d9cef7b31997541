"""The checks of what the NLP stage lands, in one step on one connection: offsets that slice the
article to the text, no dangling references, entities and events that match their schema, positive amounts. All block (see
``ingest/checks.py``)."""

from dagster import AssetCheckSpec, multi_asset_check

from ...resources import DuckDBWarehouse
from ...schemas import EntitiesSchema, EventsSchema
from ..checks import problem_rows_result, table_matches_schema

MENTION_OFFSETS_SQL = """
            select m.article_id, m.text, m.start_char, m.end_char,
                   substring(a.text, m.start_char + 1, m.end_char - m.start_char) as in_article
            from mentions m left join articles a using (article_id)
            where a.article_id is null
               or substring(a.text, m.start_char + 1, m.end_char - m.start_char) <> m.text
            """

MENTION_ENTITY_SQL = """
            select 'mention without entity' as problem, m.entity_id, m.text as detail
            from mentions m left join entities e using (entity_id) where e.entity_id is null
            union all
            select 'entity without mention', e.entity_id, e.name
            from entities e left join mentions m using (entity_id) where m.entity_id is null
            """

QUOTE_OFFSETS_SQL = """
            select q.quote_id, 'offsets do not slice the article to the quote' as problem
            from quotes q left join articles a using (article_id)
            where a.article_id is null or substring(a.text, q.start_char + 1, q.end_char - q.start_char) <> q.text
            union all
            select q.quote_id, 'nested quote outside its parent (or parent missing)'
            from quotes q left join quotes p on p.quote_id = q.parent_quote_id
            where q.parent_quote_id is not null
              and (p.quote_id is null or q.start_char < p.start_char or q.end_char > p.end_char or p.article_id <> q.article_id)
            """

QUOTE_REFERENCES_SQL = """
            select q.quote_id, 'speaker entity missing' as problem from quotes q
            left join entities e on e.entity_id = q.speaker_entity_id
            where q.speaker_entity_id is not null and e.entity_id is null
            union all
            select t.quote_id, 'quote_titles row without its quote or title' from quote_titles t
            left join quotes q using (quote_id) left join entities e on e.entity_id = t.title_entity_id
            where q.quote_id is null or e.entity_id is null or e.entity_type <> 'TITLE'
            """

EVENT_OFFSETS_SQL = """
            select ev.event_id, 'evidence offsets do not slice the article to the evidence' as problem
            from events ev left join articles a using (article_id)
            where a.article_id is null or ev.evidence_end > length(a.text)
               or substring(a.text, ev.evidence_start + 1, ev.evidence_end - ev.evidence_start) <> ev.evidence
            """

EVENT_ENTITIES_SQL = """
            with slots as (
                select event_id, article_id, 'title' as slot, title_entity_id as entity_id, 'TITLE' as expected from events
                union all select event_id, article_id, 'person', person_entity_id, 'PERSON' from events
                union all select event_id, article_id, 'org', org_entity_id, 'ORG' from events
            )
            select s.event_id, s.slot, s.entity_id,
                   case when e.entity_id is null then 'entity missing'
                        when e.entity_type <> s.expected then 'entity of type ' || e.entity_type
                        else 'entity not mentioned in the article' end as problem
            from slots s left join entities e using (entity_id)
            where s.entity_id is not null
              and (e.entity_id is null or e.entity_type <> s.expected
                   or not exists (select 1 from mentions m where m.article_id = s.article_id and m.entity_id = s.entity_id))
            """

EVENT_AMOUNTS_SQL = """
            select event_id, amount, currency, amount_kind from events
            where amount is not null and (amount <= 0 or isnan(amount) or isinf(amount))
            """

# (check, asset, description, problem rows): each "these rows must not exist".
ROW_CHECKS = [
    ("mention_offsets_slice_to_text", "mentions", "Every mention's offsets slice articles.text to exactly its text.", MENTION_OFFSETS_SQL),
    ("mentions_reference_entities", "entities", "Every mention's entity exists in entities, and every entity has a mention.", MENTION_ENTITY_SQL),
    ("quote_offsets_and_nesting", "quotes", "Every quote's offsets slice articles.text to its text, and a nested quote lies inside its parent.", QUOTE_OFFSETS_SQL),
    ("quote_references_exist", "quotes", "Every speaker_entity_id and quote_titles row points at an existing entity and quote.", QUOTE_REFERENCES_SQL),
    ("event_offsets_inside_text", "events", "Every event's evidence offsets lie inside its article's text and slice it to the evidence.", EVENT_OFFSETS_SQL),
    ("event_entities_exist", "events", "Every title, person and org of an event is an entity of that type mentioned in the event's article.", EVENT_ENTITIES_SQL),
    ("event_amounts_positive", "events", "Every amount is a positive, finite number.", EVENT_AMOUNTS_SQL),
]


@multi_asset_check(
    name="nlp_checks",
    specs=[
        *[AssetCheckSpec(name, asset=asset, blocking=True, description=description)
          for name, asset, description, _ in ROW_CHECKS],
        AssetCheckSpec("entities_match_schema", asset="entities", blocking=True,
                       description="Every row of entities passes the EntitiesSchema (Pandera)."),
        AssetCheckSpec("events_match_schema", asset="events", blocking=True,
                       description="Every row of events passes the EventsSchema (Pandera)."),
    ],
)
def nlp_checks(warehouse_db: DuckDBWarehouse):
    with warehouse_db.connect() as con:
        for name, asset, _, problems_sql in ROW_CHECKS:
            yield problem_rows_result(con, problems_sql, check_name=name, asset=asset)
        yield table_matches_schema(con, "entities", EntitiesSchema, "entities_match_schema")
        yield table_matches_schema(con, "events", EventsSchema, "events_match_schema")
