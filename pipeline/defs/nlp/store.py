"""The NLP stage's reads and writes of the warehouse: which articles need a pass, and the keyed
replacement of their mentions, entities, quotes, quote titles and events (inside the caller's transaction)."""

from __future__ import annotations

import duckdb
import polars as pl

from ...warehouse import unregister


ENTITY_TABLES = ("mentions", "entities", "internal.entity_extraction_state")
MENTION_COLUMNS = ["article_id", "entity_id", "text", "start_char", "end_char", "entity_type", "entity_name", "method", "rule"]


def articles_needing_nlp(con: duckdb.DuckDBPyConnection, version: str, languages: list[str]) -> list[str]:
    """Articles (in a language the model reads) whose mentions or quotes are missing, were read
    from other content, or under another model or rules ``version``."""
    rows = con.execute(
        """
        select a.article_id from articles a
        left join internal.entity_extraction_state e using (article_id)
        left join internal.quote_extraction_state q using (article_id)
        where a.language in (select unnest(?::varchar[]))
          and (e.article_id is null or e.content_hash <> a.content_hash or e.model <> ?
               or q.article_id is null or q.content_hash <> a.content_hash or q.rules_version is distinct from ?)
        order by a.article_id
        """,
        [languages, version, version],
    ).fetchall()
    return [r[0] for r in rows]


def replace_mentions(con: duckdb.DuckDBPyConnection, article_ids: list[str], mentions: pl.DataFrame) -> list[str]:
    """Swap the batch's mentions for the new ones; return every entity_id whose totals may have changed."""
    con.register("batch_articles", pl.DataFrame({"article_id": article_ids}, schema={"article_id": pl.String}))
    con.register("incoming_mentions", mentions.select(MENTION_COLUMNS))
    try:
        affected = {r[0] for r in con.execute(
            "select distinct entity_id from mentions where article_id in (select article_id from batch_articles)"
        ).fetchall()}
        affected |= set(mentions["entity_id"].to_list())
        con.execute("delete from mentions where article_id in (select article_id from batch_articles)")
        con.execute("insert into mentions by name select * from incoming_mentions")
    finally:
        unregister(con, "batch_articles")
        unregister(con, "incoming_mentions")
    return sorted(affected)


def refresh_entities(con: duckdb.DuckDBPyConnection, entity_ids: list[str]) -> None:
    """Recompute name, aliases and article_count of the given entities from their mentions.

    Only entities touched by the batch are recomputed, so the cost follows
    the new articles, not the size of the dataset. An entity left with no
    mention is removed.
    """
    if not entity_ids:
        return
    con.register("affected_entities", pl.DataFrame({"entity_id": entity_ids}, schema={"entity_id": pl.String}))
    try:
        con.execute("delete from entities where entity_id in (select entity_id from affected_entities)")
        con.execute(
            """
            insert into entities (entity_id, name, entity_type, aliases, article_count)
            with named as (
                -- the canonical name most articles used; ties go to the longer, then alphabetical, spelling
                select entity_id, entity_name, any_value(entity_type) as entity_type,
                       row_number() over (partition by entity_id
                                          order by count(distinct article_id) desc, length(entity_name) desc, entity_name) as rank
                from mentions
                where entity_id in (select entity_id from affected_entities)
                group by entity_id, entity_name
            ),
            totals as (
                select entity_id, count(distinct article_id)::integer as article_count,
                       list_sort(list_distinct(list(text) || list(entity_name))) as forms
                from mentions
                where entity_id in (select entity_id from affected_entities)
                group by entity_id
            )
            select n.entity_id, n.entity_name, n.entity_type,
                   list_filter(t.forms, lambda f: f <> n.entity_name), t.article_count
            from named n join totals t using (entity_id)
            where n.rank = 1
            """
        )
    finally:
        unregister(con, "affected_entities")


def mark_entities_processed(con: duckdb.DuckDBPyConnection, article_ids: list[str], model: str, processed_at) -> None:
    con.register("processed_articles", pl.DataFrame({"article_id": article_ids}, schema={"article_id": pl.String}))
    try:
        con.execute("delete from internal.entity_extraction_state where article_id in (select article_id from processed_articles)")
        con.execute(
            """
            insert into internal.entity_extraction_state
            select a.article_id, a.content_hash, ?, ? from articles a
            where a.article_id in (select article_id from processed_articles)
            """,
            [model, processed_at],
        )
    finally:
        unregister(con, "processed_articles")


QUOTE_TABLES = ("quotes", "quote_titles", "internal.quote_extraction_state")


def replace_quotes(con: duckdb.DuckDBPyConnection, article_ids: list[str], quotes: pl.DataFrame, links: pl.DataFrame,
                   processed_at, rules_version: str) -> None:
    con.register("batch_articles", pl.DataFrame({"article_id": article_ids}, schema={"article_id": pl.String}))
    con.register("incoming_quotes", quotes)
    con.register("incoming_links", links)
    try:
        for table in ("quote_titles", "quotes", "internal.quote_extraction_state"):
            con.execute(f"delete from {table} where article_id in (select article_id from batch_articles)")
        con.execute("insert into quotes by name select * from incoming_quotes")
        con.execute("insert into quote_titles by name select * from incoming_links")
        con.execute(
            "insert into internal.quote_extraction_state by name select article_id, content_hash, ? as processed_at, "
            "? as rules_version from articles where article_id in (select article_id from batch_articles)",
            [processed_at, rules_version],
        )
    finally:
        for name in ("batch_articles", "incoming_quotes", "incoming_links"):
            unregister(con, name)


EVENT_TABLES = ("events",)


def replace_events(con: duckdb.DuckDBPyConnection, article_ids: list[str], events: pl.DataFrame) -> None:
    """Swap the batch's events for the new ones (an article re-read with no event keeps none)."""
    con.register("batch_articles", pl.DataFrame({"article_id": article_ids}, schema={"article_id": pl.String}))
    con.register("incoming_events", events)
    try:
        con.execute("delete from events where article_id in (select article_id from batch_articles)")
        con.execute("insert into events by name select * from incoming_events")
    finally:
        for name in ("batch_articles", "incoming_events"):
            unregister(con, name)
