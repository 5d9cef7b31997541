"""Full-text search over article text and quotes: an inverted index kept in DuckDB tables, ranked by BM25.

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
"""

from __future__ import annotations

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
