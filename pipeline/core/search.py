"""Full-text search over article text and quotes: an inverted index kept in DuckDB tables, ranked by BM25.

Everything about search is here: how text becomes terms, the index's tables and the table macros
analysts query (``search_quotes``, ``search_articles``), keeping the index up to date with the
articles and quotes (the ``search_index`` asset calls ``update_index``), and the query
``film-news search`` runs (``search``).

Why DuckDB tables (measured, see README "Search"): DuckDB's ``fts`` extension cannot be installed here
and has no build for DuckDB 2.0; SQLite FTS5 answered as fast but lives in another file that the
published copy's SQL cannot reach, and stored the text a second time (1.1 GB against 0.19 GB of
postings for the same 100,000 generated articles). Tables in the warehouse are built in the same
transaction as the rows they index, published with them, and queried from plain SQL through the
macros below.

Text becomes terms the same way when it is indexed and when it is searched, because both happen in
DuckDB with one SQL expression (``terms_of``): accents stripped, lower case, split on anything that
is not a letter or digit; one-character terms and the commonest English function words dropped.
BM25 (Robertson and Zaragoza 2009) with the usual k1 = 1.2, b = 0.75; statistics per kind of
document (an article or a quote) kept in ``search.stats``.

This module reads and writes through the connection it is given; it does not import the warehouse
module, which creates the index's tables from ``SEARCH_DDL`` and ``SEARCH_MACROS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import duckdb

# The commonest English function words: in nearly every document, they rank nothing and would
# make up a third of the postings. (The head of any English frequency list; "not" is kept.)
STOPWORDS = tuple(
    """a an and are as at be but by for from had has have he her his i in is it its of on or she that the
    their they this to was were will with you we our my me him them there been which who what would
    said says s t""".split()
)
BM25_K1 = 1.2
BM25_B = 0.75

_STOPWORD_LIST = ", ".join(f"'{word}'" for word in STOPWORDS)


def terms_of(sql_text: str) -> str:
    """A SQL expression: the list of raw words of ``sql_text`` (an expression), before stopwords go."""
    return f"regexp_split_to_array(lower(strip_accents({sql_text})), '[^a-z0-9]+')"


def kept_term(sql_term: str) -> str:
    """A SQL condition: the word ``sql_term`` is a term of the index."""
    return f"(length({sql_term}) > 1 and {sql_term} not in ({_STOPWORD_LIST}))"


# The index: internal tables in their own schema (analysts use the macros in main).
SEARCH_DDL = """
create schema if not exists search;
create sequence if not exists search.document_keys;
-- One row per searchable document: an article's text or one quote.
create table if not exists search.documents (
    doc_key    bigint primary key,
    kind       varchar not null,   -- 'article' or 'quote'
    doc_id     varchar not null,   -- article_id or quote_id
    article_id varchar not null,
    length     integer not null    -- terms before stopwords go, as BM25 counts length
);
-- The inverted index: how often each term occurs in each document.
create table if not exists search.postings (
    term    varchar not null,
    doc_key bigint not null,
    tf      integer not null
);
-- Documents per kind and their mean length, refreshed with every change to the index.
create table if not exists search.stats (
    kind       varchar primary key,
    documents  bigint not null,
    avg_length double not null
);
-- Which version of each article (its text, and its quotes as last extracted) is indexed.
create table if not exists search.index_state (
    article_id          varchar primary key,
    content_hash        varchar not null,
    quotes_processed_at timestamp,
    indexed_at          timestamp not null
);
"""

SEARCH_TABLES = ("search.postings", "search.documents", "search.stats", "search.index_state")


def _ranked(kind: str) -> str:
    """SELECT of (doc_id, score) for every document of ``kind`` matching any term of ``query``."""
    return f"""
    with query_terms as (
        select distinct term from (select unnest({terms_of('query')}) as term) where {kept_term('term')}
    ),
    hits as (
        select p.term, p.doc_key, p.tf, d.doc_id, d.length
        from search.postings p join search.documents d using (doc_key)
        where p.term in (select term from query_terms) and d.kind = '{kind}'
    ),
    frequency as (select term, count(*) as df from hits group by term),
    stats as (select documents, avg_length from search.stats where kind = '{kind}')
    select h.doc_id,
           sum(ln(1 + (s.documents - f.df + 0.5) / (f.df + 0.5))
               * h.tf * ({BM25_K1} + 1)
               / (h.tf + {BM25_K1} * (1 - {BM25_B} + {BM25_B} * h.length / s.avg_length))) as score
    from hits h join frequency f using (term) cross join stats s
    group by h.doc_id
    """


# The analysts' side: table macros, kept in the warehouse file and so in the published copy.
SEARCH_MACROS = f"""
create or replace macro search_quotes(query) as table
select r.score, q.quote_id, q.kind, q.speaker, q.text, q.article_id, a.published_date, a.site, a.url,
       a.duplicate_of is not null as is_syndicated_copy
from ({_ranked('quote')}) r
join quotes q on q.quote_id = r.doc_id
join articles a on a.article_id = q.article_id
order by r.score desc, q.quote_id;

create or replace macro search_articles(query) as table
select r.score, a.article_id, a.title, a.published_date, a.site, a.url,
       a.duplicate_of is not null as is_syndicated_copy
from ({_ranked('article')}) r
join articles a on a.article_id = r.doc_id
order by r.score desc, a.article_id;
"""


# -- Keeping the index up to date ---------------------------------------------------------------


@dataclass(frozen=True)
class IndexUpdate:
    articles_indexed: int
    documents_indexed: int


def update_index(con: duckdb.DuckDBPyConnection, indexed_at: dt.datetime, batch_size: int,
                 full_refresh: bool = False, log: Callable[[str], None] | None = None) -> IndexUpdate:
    """Index the articles whose text or quotes changed since they were indexed (every article with
    ``full_refresh``), ``batch_size`` at a time, inside the caller's transaction."""
    if full_refresh:
        for table in SEARCH_TABLES:
            con.execute(f"delete from {table}")
    todo = articles_needing_search_index(con)
    if log:
        log(f"{len(todo)} articles to index")
    size = max(1, batch_size)
    documents = sum(reindex_articles(con, todo[start:start + size], indexed_at) for start in range(0, len(todo), size))
    if todo:
        refresh_search_stats(con)
    return IndexUpdate(len(todo), documents)


def articles_needing_search_index(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Articles whose text or quotes changed since they were indexed (or never were), and indexed
    articles that are gone."""
    rows = con.execute(
        """
        select a.article_id from articles a
        left join internal.quote_extraction_state q using (article_id)
        left join search.index_state s using (article_id)
        where s.article_id is null or s.content_hash <> a.content_hash
           or s.quotes_processed_at is distinct from q.processed_at
        union
        select s.article_id from search.index_state s anti join articles a using (article_id)
        order by 1
        """
    ).fetchall()
    return [r[0] for r in rows]


def reindex_articles(con: duckdb.DuckDBPyConnection, article_ids: list[str], indexed_at) -> int:
    """Replace the index entries of these articles (their text and their quotes); an article that
    no longer exists leaves the index. Returns the number of documents indexed."""
    # Temporary tables, not registered frames: created in the caller's transaction, they go with
    # it when it rolls back, and nothing needs unregistering from an aborted transaction.
    con.execute("create or replace temp table batch_articles as select unnest(?::varchar[]) as article_id", [article_ids])
    con.execute("delete from search.postings where doc_key in (select doc_key from search.documents "
                "where article_id in (select article_id from batch_articles))")
    for table in ("search.documents", "search.index_state"):
        con.execute(f"delete from {table} where article_id in (select article_id from batch_articles)")
    con.execute(
        """
        create or replace temp table batch_documents as
        select nextval('search.document_keys') as doc_key, kind, doc_id, article_id, text from (
            select 'article' as kind, article_id as doc_id, article_id, text from articles
            where article_id in (select article_id from batch_articles)
            union all
            select 'quote', quote_id, article_id, text from quotes
            where article_id in (select article_id from batch_articles))
        """
    )
    con.execute(
        f"""
        create or replace temp table batch_words as
        select doc_key, unnest({terms_of('text')}) as term from batch_documents
        """
    )
    con.execute(
        """
        insert into search.documents
        select d.doc_key, d.kind, d.doc_id, d.article_id, count(w.term) filter (where length(w.term) > 1)
        from batch_documents d left join batch_words w using (doc_key)
        group by all
        """
    )
    con.execute(
        f"""
        insert into search.postings
        select term, doc_key, count(*) from batch_words where {kept_term('term')}
        group by all order by term
        """
    )
    con.execute(
        """
        insert into search.index_state
        select a.article_id, a.content_hash, q.processed_at, ?
        from articles a left join internal.quote_extraction_state q using (article_id)
        where a.article_id in (select article_id from batch_articles)
        """,
        [indexed_at],
    )
    indexed = con.execute("select count(*) from batch_documents").fetchall()[0][0]
    for table in ("batch_words", "batch_documents", "batch_articles"):
        con.execute(f"drop table {table}")
    return int(indexed)


def refresh_search_stats(con: duckdb.DuckDBPyConnection) -> None:
    """Documents and mean length per kind, as BM25 reads them."""
    con.execute("delete from search.stats")
    con.execute("insert into search.stats select kind, count(*), coalesce(avg(length), 0) from search.documents group by kind")


# -- Searching -----------------------------------------------------------------------------------


class SearchError(ValueError):
    """A search that cannot be answered as asked; the message says what to change."""


@dataclass(frozen=True)
class SearchRequest:
    """What ``film-news search`` asks: words (any of them), where to look, and filters."""

    words: str
    target: Literal["quotes", "articles"] = "quotes"
    speaker: str | None = None
    title: str | None = None
    kind: Literal["direct", "indirect"] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    site: str | None = None
    include_copies: bool = False
    limit: int = 20
    # Only articles (or quotes of articles) that state an industry event of this kind (events.kind).
    event: str | None = None

    def __post_init__(self) -> None:
        if self.target == "articles" and (self.speaker or self.kind):
            raise SearchError("--speaker and --kind filter quotes; leave them out with --in articles")


def search_statement(request: SearchRequest) -> tuple[str, list]:
    """The statement a search runs on the published copy, and its parameters."""
    quotes = request.target == "quotes"
    where, params = [], [request.words]
    if request.since:
        where.append("published_date >= ?")
        params.append(request.since)
    if request.until:
        where.append("published_date <= ?")
        params.append(request.until)
    if request.site:
        where.append("site ilike ?")
        params.append(f"%{request.site}%")
    if not request.include_copies:
        where.append("not is_syndicated_copy")
    if request.event:
        where.append("article_id in (select article_id from events where kind = ?)")
        params.append(request.event)
    if request.title:
        # A quote about the title (quote_titles), or an article that mentions it.
        linked = ("select l.quote_id from quote_titles l join entities e on e.entity_id = l.title_entity_id"
                  if quotes else "select m.article_id from mentions m join entities e using (entity_id)")
        where.append(f"{'quote_id' if quotes else 'article_id'} in ({linked} "
                     "where e.name ilike ? or list_contains(list_transform(e.aliases, lambda alias: lower(alias)), lower(?)))")
        params += [f"%{request.title}%", request.title]
    if quotes:
        if request.speaker:
            where.append("speaker ilike ?")
            params.append(f"%{request.speaker}%")
        if request.kind:
            where.append("kind = ?")
            params.append(request.kind)
        select = ("select round(score, 2) as score, published_date, site, speaker, kind, text, quote_id, url "
                  "from search_quotes(?)")
    else:
        select = "select round(score, 2) as score, published_date, site, title, article_id, url from search_articles(?)"
    tie_break = "quote_id" if quotes else "article_id"
    sql = select + (" where " + " and ".join(where) if where else "") + f" order by score desc, {tie_break} limit ?"
    return sql, params + [request.limit]


def search(con: duckdb.DuckDBPyConnection, request: SearchRequest) -> duckdb.DuckDBPyRelation:
    """The best matches of ``request``, best first, on a connection to the published copy.

    Raises ``SearchError`` when the published copy has no index, or when no word of the request is
    a term of the index (only one-letter words and stopwords): it could match nothing, and an empty
    answer would not say why.
    """
    has_index = con.execute("select count(*) from information_schema.tables "
                            "where table_schema = 'search' and table_name = 'stats'").fetchall()[0][0]
    if not has_index:
        raise SearchError("the published data has no search index yet (it was published by an older version); "
                          "run `film-news run` once to build it")
    searched_terms = con.execute(f"select count(*) from (select unnest({terms_of('?')}) as term) where {kept_term('term')}",
                                 [request.words]).fetchall()[0][0]
    if not searched_terms:
        raise SearchError(
            f"nothing to search for: the index leaves out every word of \"{request.words}\" (words of one letter "
            "and the commonest English function words, such as \"the\", \"and\", \"said\"); add a rarer word")
    sql, params = search_statement(request)
    return con.sql(sql, params=params)
