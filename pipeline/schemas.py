"""Pandera schemas, one per table of the dataset contract, checked before every write.

The column descriptions here are the data dictionary's source: they are shown
as asset descriptions in the Dagster UI and written to docs by the dictionary
generator, so the meaning of a column is stated once.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

import pandera.polars as pa
import polars as pl
from pandera.engines import polars_engine

ARTICLE_ID_PATTERN = r"^[0-9a-f]{16}$"
ENTITY_ID_PATTERN = r"^[0-9a-f]{16}$"
ENTITY_TYPES = ["PERSON", "TITLE", "ORG", "PLACE"]


class ArticlesSchema(pa.DataFrameModel):
    """One row per ingested document (``articles``)."""

    article_id: str = pa.Field(unique=True, str_matches=ARTICLE_ID_PATTERN,
                               description="Stable id: a hash of the file's path inside the landing folder (or the fetched URL).")
    source_path: str = pa.Field(str_length={"min_value": 1}, description="Where the document came from: the URL a gathered page was fetched from, else the file's path inside the landing folder (never the folder's own location, so a copied or moved folder holds the same documents).")
    url: Optional[str] = pa.Field(nullable=True, description="The URL a page gathered from an outlet or archive was fetched from; for a file dropped in, the canonical URL when the page declares one.")
    site: Optional[str] = pa.Field(nullable=True, description="The outlet's name as configured in outlets.yaml for a page gathered from it; otherwise the publication name the page declares, or its domain.")
    title: Optional[str] = pa.Field(nullable=True, description="Headline.")
    author: Optional[str] = pa.Field(nullable=True, description='Byline; several authors joined with "; ".')
    published_date: Optional[pl.Date] = pa.Field(
        nullable=True, ge=dt.date(1888, 1, 1),
        description="Publication date: from page metadata, or the 'date YYYY-MM-DD' header of a text file.",
    )
    language: str = pa.Field(str_matches=r"^[a-z]{2}$", description="ISO 639-1 code of the body text (py3langid).")
    text: str = pa.Field(str_length={"min_value": 1}, description="Clean body text, paragraphs separated by one blank line; all offsets refer to it.")
    word_count: pl.Int32 = pa.Field(gt=0, description="Words in text.")
    content_hash: str = pa.Field(str_matches=r"^[0-9a-f]{64}$", description="SHA-256 of the body with case, quote style and white space folded.")
    duplicate_of: Optional[str] = pa.Field(nullable=True, str_matches=ARTICLE_ID_PATTERN,
                                           description="article_id of the earliest article with the same or nearly the same body (syndicated copies).")
    ingested_at: pl.Datetime = pa.Field(description="When this row was written (UTC).")
    italic_spans: Optional[polars_engine.List] = pa.Field(
        nullable=True, dtype_kwargs={"inner": pl.List(pl.Int32)},
        description="[start, end) offsets into text of italic runs in the HTML, where film news sets titles.",
    )

    @pa.dataframe_check(description="an article is never a duplicate of itself")
    def not_own_duplicate(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("duplicate_of").is_null() | (pl.col("duplicate_of") != pl.col("article_id")))

    @pa.dataframe_check(description="word_count is at least 1 for non-empty text")
    def words_in_text(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("text").str.strip_chars().str.len_chars() > 0)

    class Config:
        strict = True
        coerce = False


class RejectedDocumentsSchema(pa.DataFrameModel):
    """What could not be ingested, and why (``rejected_documents``)."""

    source_path: str = pa.Field(unique=True, str_length={"min_value": 1}, description="The document rejected, named as in articles.source_path: the URL of a gathered page, else the file's path inside the landing folder.")
    stage: str = pa.Field(isin=["read", "decode", "extract", "validate"], description="Where it was rejected: read, decode, extract or validate.")
    reason: str = pa.Field(str_length={"min_value": 10}, description="A sentence a person can act on.")
    rejected_at: pl.Datetime = pa.Field(description="When (UTC).")
    file_sha256: Optional[str] = pa.Field(nullable=True, description="SHA-256 of the file as read, when it could be read.")

    class Config:
        strict = True


class MentionsSchema(pa.DataFrameModel):
    """One row per mention of an entity in an article (``mentions``)."""

    article_id: str = pa.Field(str_matches=ARTICLE_ID_PATTERN, description="The article (→ articles).")
    entity_id: str = pa.Field(str_matches=ENTITY_ID_PATTERN, description="The entity (→ entities).")
    text: str = pa.Field(str_length={"min_value": 1}, description="The surface form as written in the article.")
    start_char: pl.Int32 = pa.Field(ge=0, description="Where it starts in articles.text (character offset).")
    end_char: pl.Int32 = pa.Field(gt=0, description="Where it ends in articles.text (exclusive).")
    entity_type: str = pa.Field(isin=ENTITY_TYPES, description="PERSON, TITLE, ORG or PLACE.")
    entity_name: str = pa.Field(str_length={"min_value": 1}, description="The canonical name this mention was resolved to in its article.")
    method: str = pa.Field(description="Which recognizer found it: ner (the statistical model); quoted_title, italic_title, colon_title, cue_title, context_title, appositive_title, possessive_title, sequel_title, award_list_title (title rules); corporate_name, company_kind, outlet_cue, fashion_house, sports_team (company rules); styled_name (a person named by a royal style or a peerage); introduced_person (a name after \"their mother\", \"advocate\": a relation or job noun); venue (a named building or square, a place); media_gazetteer (a listed studio, network, streamer, platform or paper); known_title, known_person (a name established elsewhere in the article, found again); gazetteer (a place from GeoNames).")
    rule: str = pa.Field(nullable=True, description="Which rule of the entity typing policy decided its type (the first that applied, in order): title_form (a title, under its fullest spelling); person_by_name (a surname, first name or other form of a person named in full in the article); outlet_named_as_source (a name after \"told\", \"according to\": an outlet); given_name_not_company (a lone given name the model called a company); used_as_company (a name the article uses as a company elsewhere, \"a Streamline spokesperson\"); as_recognized (the type its recognizer gave). Empty for mentions landed before the column existed.")

    @pa.dataframe_check(description="a mention's span is its text's length")
    def span_matches_text(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("end_char") - pl.col("start_char")) == pl.col("text").str.len_chars())

    class Config:
        strict = True


class EntitiesSchema(pa.DataFrameModel):
    """One row per distinct real-world entity across the whole dataset (``entities``)."""

    entity_id: str = pa.Field(unique=True, str_matches=ENTITY_ID_PATTERN,
                              description="Stable id derived from the type and the folded canonical name.")
    name: str = pa.Field(str_length={"min_value": 1}, description='Canonical name ("James Cameron", "Alita: Battle Angel").')
    entity_type: str = pa.Field(isin=ENTITY_TYPES, description="PERSON, TITLE (film, series, franchise, book), ORG (company, studio, network, outlet) or PLACE.")
    aliases: polars_engine.List = pa.Field(dtype_kwargs={"inner": pl.String}, description='Other surface forms seen ("Cameron", "Jim").')
    article_count: pl.Int32 = pa.Field(gt=0, description="Articles that mention it, syndicated copies included (the analytics views count originals only).")

    class Config:
        strict = True


class QuotesSchema(pa.DataFrameModel):
    """One row per quotation (``quotes``): direct speech in quote marks, and reported speech."""

    quote_id: str = pa.Field(unique=True, str_matches=ENTITY_ID_PATTERN,
                             description="Stable id: a hash of the article and where the quote stands in it.")
    article_id: str = pa.Field(str_matches=ARTICLE_ID_PATTERN, description="The article (→ articles).")
    text: str = pa.Field(str_length={"min_value": 1}, description="Direct: the quoted words, without the enclosing quote marks. Indirect: the reported content as written, without the cue and the speaker.")
    start_char: pl.Int32 = pa.Field(ge=0, description="Where the quoted words start in articles.text.")
    end_char: pl.Int32 = pa.Field(gt=0, description="Where they end (exclusive).")
    speaker: Optional[str] = pa.Field(nullable=True, description="Canonical name of who said it: a person, or an organisation for a statement.")
    speaker_entity_id: Optional[str] = pa.Field(nullable=True, str_matches=ENTITY_ID_PATTERN, description="The speaker's entity (→ entities).")
    cue: Optional[str] = pa.Field(nullable=True, description='The attribution word ("said", "told", "writing", "according to").')
    parent_quote_id: Optional[str] = pa.Field(nullable=True, description="For speech quoted inside another quote, the outer quote.")
    is_partial: bool = pa.Field(description='A fragment woven into the writer\'s sentence (the studio is "in no hurry").')
    attribution: Optional[str] = pa.Field(nullable=True, description="How the speaker was found: syntax, syntax_pronoun, syntax_description (the cue's subject in the dependency parse: a name, a pronoun resolved to a person, a description such as \"the director\"), signed_with_dash, continues_previous_paragraph, interviewee, cue_after, cue_before, according_to, continues_previous_quote, named_in_previous_sentence, inside_quote, reported_speech.")
    kind: str = pa.Field(isin=["direct", "indirect"], description="direct: words in quote marks; indirect: reported speech (\"X said that …\", \"according to X, …\").")

    @pa.dataframe_check(description="a quote's span is its text's length")
    def span_matches_text(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("end_char") - pl.col("start_char")) == pl.col("text").str.len_chars())

    @pa.dataframe_check(description="a speaker name comes with its entity")
    def speaker_has_entity(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("speaker").is_null() == pl.col("speaker_entity_id").is_null())

    class Config:
        strict = True


class QuoteTitlesSchema(pa.DataFrameModel):
    """Which titles each quote is about (``quote_titles``): "what did X say about Y" is one join."""

    quote_id: str = pa.Field(str_matches=ENTITY_ID_PATTERN, description="The quote (→ quotes).")
    article_id: str = pa.Field(str_matches=ARTICLE_ID_PATTERN, description="The article (→ articles).")
    title_entity_id: str = pa.Field(str_matches=ENTITY_ID_PATTERN, description="A TITLE entity (→ entities).")
    link: str = pa.Field(isin=["named_in_quote", "named_in_paragraph", "article_main_title"],
                         description="Why: the title is named in the quote, in its paragraph, or is the article's main title.")

    class Config:
        strict = True



EVENT_KINDS = ["box_office", "release_date", "casting", "hiring", "production_status", "deal", "award"]
EVENT_STATUSES = [
    "set", "moved", "delayed", "moved_up",                                                     # release_date
    "greenlit", "renewed", "cancelled", "in_development", "filming_started", "wrapped",          # production_status
    "joined", "left",                                                                           # casting, hiring
    "won", "nominated",                                                                         # award
    "acquired", "distribution", "first_look", "overall", "other",                               # deal
]
AMOUNT_KINDS = ["opening_weekend", "domestic_total", "international_total", "worldwide_total", "budget", "deal_value"]


class EventsSchema(pa.DataFrameModel):
    """One row per industry event an article states (``events``): box office, a release date set or moved, a casting or hiring, a greenlight, renewal, cancellation or shoot, a deal, an award won or nominated; its entities are that article's ``entities`` rows."""

    event_id: str = pa.Field(unique=True, str_matches=ENTITY_ID_PATTERN,
                             description="Stable id: a hash of the article, the kind, the evidence's offsets and the entities.")
    article_id: str = pa.Field(str_matches=ARTICLE_ID_PATTERN, description="The article (→ articles).")
    kind: str = pa.Field(isin=EVENT_KINDS, description="box_office, release_date, casting, hiring, production_status, deal or award.")
    title_entity_id: Optional[str] = pa.Field(nullable=True, str_matches=ENTITY_ID_PATTERN, description="The film or series (→ entities, a TITLE).")
    person_entity_id: Optional[str] = pa.Field(nullable=True, str_matches=ENTITY_ID_PATTERN, description="The person cast, hired or awarded (→ entities, a PERSON).")
    org_entity_id: Optional[str] = pa.Field(nullable=True, str_matches=ENTITY_ID_PATTERN, description="The studio, network, streamer or buyer (→ entities, an ORG).")
    role: Optional[str] = pa.Field(nullable=True, description="Casting: the character, when given. Hiring: the job (director, writer, showrunner, producer, executive producer, composer, executive).")
    amount: Optional[float] = pa.Field(nullable=True, gt=0, description='The sum in units of its currency ("$50.2 million" is 50200000.0).')
    currency: Optional[str] = pa.Field(nullable=True, str_matches=r"^[A-Z]{3}$", description="ISO 4217 code of the amount (USD, GBP, EUR, ...).")
    amount_kind: Optional[str] = pa.Field(nullable=True, isin=AMOUNT_KINDS, description="What the amount is: opening_weekend, domestic_total, international_total, worldwide_total, budget or deal_value.")
    territory: Optional[str] = pa.Field(nullable=True, description="The country or region (\"China\", \"UK\") when the figure, release or rights hold there only; null for domestic (US and Canada) and worldwide figures.")
    event_date: Optional[pl.Date] = pa.Field(nullable=True, description="The date the event refers to (a release date, an opening weekend's Friday), resolved against the article's publication date (\"this weekend\", \"on Friday\", \"next March\").")
    date_precision: Optional[str] = pa.Field(nullable=True, isin=["day", "month", "year"], description="How much of event_date the text gives: day, month (the date is the 1st) or year (January 1st).")
    status: Optional[str] = pa.Field(nullable=True, isin=EVENT_STATUSES, description="release_date: set, moved, delayed, moved_up. production_status: greenlit, renewed, cancelled, in_development, filming_started, wrapped. casting and hiring: joined, left. award: won, nominated. deal: acquired, distribution, first_look, overall, other.")
    certainty: str = pa.Field(isin=["stated", "reported", "rumoured"], description="stated: the article says it; reported: it attributes it (\"reportedly\", \"according to\"); rumoured: talks, rumours, plans (\"in talks to\", \"eyeing\").")
    award: Optional[str] = pa.Field(nullable=True, description="Award: the prize or ceremony (\"Academy Awards\", \"Golden Globe\").")
    category: Optional[str] = pa.Field(nullable=True, description="Award: the category (\"best director\").")
    evidence: str = pa.Field(str_length={"min_value": 1}, description="The sentence that states the event, as written.")
    evidence_start: pl.Int32 = pa.Field(ge=0, description="Where the evidence starts in articles.text.")
    evidence_end: pl.Int32 = pa.Field(gt=0, description="Where it ends (exclusive).")
    rule: str = pa.Field(str_length={"min_value": 1}, description="The name of the pattern that found it (event_patterns.yml).")

    @pa.dataframe_check(description="an event's evidence span is its text's length")
    def span_matches_evidence(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("evidence_end") - pl.col("evidence_start")) == pl.col("evidence").str.len_chars())

    @pa.dataframe_check(description="an amount comes with its currency and kind")
    def amount_has_currency(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("amount").is_null() | (pl.col("currency").is_not_null() & pl.col("amount_kind").is_not_null()))

    @pa.dataframe_check(description="a date comes with its precision")
    def date_has_precision(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("event_date").is_null() == pl.col("date_precision").is_null())

    class Config:
        strict = True


# The landed tables, each declared once, by its schema: the DuckDB DDL (``create_table_sql``),
# the data dictionary and Dagster's Columns tab (``dictionary.table_metadata``) all come from it.
TABLE_SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "articles": ArticlesSchema,
    "rejected_documents": RejectedDocumentsSchema,
    "entities": EntitiesSchema,
    "mentions": MentionsSchema,
    "quotes": QuotesSchema,
    "quote_titles": QuoteTitlesSchema,
    "events": EventsSchema,
}

_DUCKDB_TYPES = {pl.String: "varchar", pl.Int32: "integer", pl.Int64: "bigint", pl.Boolean: "boolean",
                 pl.Date: "date", pl.Datetime: "timestamp", pl.Float64: "double"}


def duckdb_type(dtype: pl.DataType) -> str:
    """DuckDB's type for a Polars one: the frames are written as they are validated."""
    if isinstance(dtype, pl.List):
        return duckdb_type(dtype.inner) + "[]"
    base = dtype.base_type()
    if base not in _DUCKDB_TYPES:
        raise TypeError(f"no DuckDB type is declared for the Polars type {dtype}")
    return _DUCKDB_TYPES[base]


def create_table_sql(table: str, schema: type[pa.DataFrameModel]) -> str:
    """``create table if not exists`` from the schema: a unique column is the primary key, a
    column that may not be null is ``not null``, in the schema's column order."""
    columns = []
    for name, column in schema.to_schema().columns.items():
        constraint = " primary key" if column.unique else ("" if column.nullable else " not null")
        columns.append(f"    {name} {duckdb_type(column.dtype.type)}{constraint}")
    return f"create table if not exists {table} (\n" + ",\n".join(columns) + "\n);"


def split_valid_rows(schema: type[pa.DataFrameModel], frame: pl.DataFrame) -> tuple[pl.DataFrame, dict[int, str]]:
    """Validate ``frame``; return the rows that pass and, for each failing row, why.

    A failure that is not tied to a row (a column of the wrong type) fails
    every row, since none of them can be trusted.
    """
    try:
        return schema.validate(frame, lazy=True), {}
    except pa.errors.SchemaErrors as errors:
        failures = errors.failure_cases
    reasons: dict[int, list[str]] = {}
    for row in failures.iter_rows(named=True):
        message = f"{row['column']} failed {row['check']}"
        if row["failure_case"] is not None and row["schema_context"] == "Column":
            message += f" (value {str(row['failure_case'])[:80]!r})"
        indices = [row["index"]] if row["index"] is not None else range(frame.height)
        for index in indices:
            reasons.setdefault(int(index), [])
            if message not in reasons[int(index)]:
                reasons[int(index)].append(message)
    keep = [i for i in range(frame.height) if i not in reasons]
    return frame[keep], {i: "; ".join(messages) for i, messages in reasons.items()}
