"""From a document's content to clean article text and metadata.

HTML goes through trafilatura (body and metadata); plain text follows the
newsroom export format ``date YYYY-MM-DD`` then the body. Both end in the same
normalized text: paragraphs separated by one blank line, Unicode NFC, white
space folded, and quote marks kept exactly as written because quote
extraction and every offset downstream refer to this text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

import trafilatura
from lxml import etree

from .errors import DocumentRejected
from .reading import SourceDocument, decode_text


@dataclass(frozen=True)
class ExtractionSettings:
    """How article text is pulled out of HTML; one object, as trafilatura passes options.

    The defaults were chosen by ``benchmarks/extraction_benchmark.py`` (see the README).
    """

    # Balanced, not favor_precision: on the 17 full-body gold pages favor_precision scores body F1
    # 0.967 against 0.956 (its pruning only drops boilerplate there), but on the 47 real film pages of
    # the evaluation set it cut text from 13: lead and intro paragraphs, which is where an interview
    # write-up names who speaks (quote+speaker F1 there 0.57 balanced 0.76). Lost text is worse than
    # a line of furniture.
    favor_precision: bool = False
    favor_recall: bool = False
    include_tables: bool = True
    # A headline repeated as the body's first line is furniture: articles.title holds it.
    drop_leading_headline: bool = True
    # Fewer words than this in an HTML page is a teaser, an index page or a paywall stub, not an article.
    min_words: int = 20
    # Latest publication date believed, in days after today. htmldate rejects dates after today, so a
    # page stamped ahead of the machine's clock (time zones, scheduled posts, embargoes) got a guess
    # such as January 1st from a bare year instead of its own meta date.
    max_date_ahead_days: int = 31
    # Limits per article: the longest news features run to some 20,000 words; anything far
    # beyond is a book, a data dump or a page of pages, and would cost the NLP stage minutes.
    max_words: int = 60_000
    # No word of prose (a URL included) is thousands of characters long: such a run is
    # encoded data (base64 images, minified scripts), not text.
    max_run_chars: int = 5_000
    # Seconds the extraction of one file may take (``bounded_extraction`` stops it past this). A news
    # page takes tens of milliseconds (33 ms of CPU on average over the film-pages gold set).
    time_budget_seconds: float = 30.0


@dataclass
class CleanArticle:
    text: str
    title: str | None = None
    author: str | None = None
    published_date: dt.date | None = None
    site: str | None = None
    url: str | None = None
    # (start, end) offsets of italic runs in ``text``: film news italicizes titles.
    italic_spans: list[tuple[int, int]] = field(default_factory=list)
    # ISO 639-1 code of the text; set by extract_article (the ingest path), not by extract_html_article.
    language: str | None = None


# Private-use code points mark italic runs while the text is being normalized,
# so their offsets survive white-space folding.
_ITALIC_OPEN, _ITALIC_CLOSE = "\ue000", "\ue001"
_BLOCK_TAGS = {"p", "head", "item", "quote", "code", "row", "list", "table", "cell", "div"}
# Invisible characters that sneak in from CMS editors and break offsets and matching.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACE_LIKE = re.compile(r"[^\S\n]+")


def normalize_text(text: str) -> str:
    """NFC, invisible characters removed, spaces folded, one blank line between paragraphs.

    NFC rather than NFKC: NFKC would rewrite ellipses and full-width
    punctuation, and we promise quote marks and punctuation as written.
    """
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = []
    for block in re.split(r"\n", text):
        block = _SPACE_LIKE.sub(" ", block).strip()
        if block.strip(_ITALIC_OPEN + _ITALIC_CLOSE + " "):
            paragraphs.append(block)
    return "\n\n".join(paragraphs)


def count_words(text: str) -> int:
    return len(re.findall(r"\w+(?:['’]\w+)*", text))


def content_hash(text: str) -> str:
    """SHA-256 of the text with case, quote style and white space folded.

    Two copies that differ only in curly versus straight quotes or spacing get
    the same hash, so exact syndicated copies are found without MinHash.
    """
    folded = text.casefold().translate(_QUOTE_FOLD)
    folded = " ".join(folded.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


_QUOTE_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"'})


LANGUAGE_SAMPLE_CHARS = 1500
# py3langid's answer for text in no language at all: figures, symbols, code.
NO_LANGUAGE = "zxx"


def detect_language(text: str) -> str:
    """ISO 639-1 code of the body text, from py3langid (offline); DocumentRejected for text in no language.

    The contract's ``language`` is an ISO 639-1 code, but the model also knows 24 languages that
    have only a three-letter code (Cantonese 'yue', Egyptian Arabic 'arz', Nigerian Pidgin 'pcm' ...),
    which the schema would refuse: such a text gets the likeliest language that has a two-letter code.
    """
    import py3langid

    # The opening paragraphs decide it (a language is plain within a few hundred words); the
    # classifier's cost grows with the text, and it was a third of ingest on 5,000 characters.
    for language, _score in py3langid.rank(text[:LANGUAGE_SAMPLE_CHARS]):
        if language == NO_LANGUAGE:
            raise DocumentRejected(
                "validate",
                "the text is in no language: figures, symbols or code without sentences (a results table, a list of "
                "numbers, a placeholder page), not an article; save the article's own page or leave the file out of "
                "the landing folder",
            )
        if len(language) == 2:
            return language
    raise AssertionError("py3langid ranks every language it knows, two-letter ones among them")


def warm_up() -> None:
    """Load what extraction needs before the first file (the extraction worker's initializer)."""
    detect_language("A sentence loads the language model.")
    trafilatura.bare_extraction("<html><body><article><p>Warm-up.</p></article></body></html>", with_metadata=True)


def extract_article(document: SourceDocument, settings: ExtractionSettings = ExtractionSettings()) -> CleanArticle:
    if document.kind == "html":
        article = extract_html_article(document.content, settings)
    else:
        article = parse_text_article(decode_text(document.content))
    words = count_words(article.text)
    # A short HTML extract is a teaser or an index page; a text file is what the
    # newsroom exported, and a two-line brief is still an article.
    if document.kind == "html" and words < settings.min_words and _repeated_words(document.content, article.text) < settings.min_words:
        raise DocumentRejected(
            "extract",
            f"only {words} word(s) of article text were found (at least {settings.min_words} needed): "
            "the page looks like an index, teaser, paywall or error page; save the full article page",
        )
    if words == 0:
        raise DocumentRejected("extract", "the text file has no words after its header; check the export")
    if words > settings.max_words:
        raise DocumentRejected(
            "validate",
            f"the article has {words:,} words, more than the {settings.max_words:,} a news article can have: "
            "it is a book, a data dump or several pages in one; split it or leave it out of the landing folder",
        )
    longest = max((len(run) for run in re.findall(r"\S{%d,}" % (settings.max_run_chars + 1), article.text)), default=0)
    if longest:
        raise DocumentRejected(
            "validate",
            f"the text holds a run of {longest:,} characters without a space (at most {settings.max_run_chars:,} in prose): "
            "it is encoded data, not article text; check how the file was saved",
        )
    article.language = detect_language(article.text)
    return article


def _repeated_words(html: bytes, extracted: str) -> int:
    """Words of the page's paragraphs that repeat the extract's: trafilatura keeps one copy of a
    paragraph a page repeats, so a short article whose paragraphs repeat is not an index page."""
    from lxml import html as lxml_html

    kept = {" ".join(paragraph.split()) for paragraph in extracted.split("\n") if paragraph.strip()}
    try:
        tree = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return 0
    return sum(count_words(text) for text in (" ".join(p.text_content().split()) for p in tree.iter("p")) if text in kept)


# libxml2, lxml's parser, drops a text node longer than this, and what follows it, without an error:
# the extractor would then say it found no article. Any such run is far beyond an article's length.
PARSER_MAX_TEXT_BYTES = 10_000_000


def _longest_text_run(html: bytes | str) -> int:
    """Length of the longest stretch of the page without a tag (one text node, at the most)."""
    if len(html) <= PARSER_MAX_TEXT_BYTES:
        return 0  # cannot hold a longer run; the scan below is skipped for every normal page
    tag_open = b"<" if isinstance(html, bytes) else "<"
    longest, start = 0, 0
    while start < len(html):
        end = html.find(tag_open, start)
        end = len(html) if end < 0 else end
        longest, start = max(longest, end - start), end + 1
    return longest


# Below trafilatura's own minimum (250 extracted characters) it falls back to a flat extraction,
# which with headline and byline runs to a few hundred more.
SHORT_PAGE_CHARS = 2000


def extract_html_article(html: bytes | str, settings: ExtractionSettings = ExtractionSettings()) -> CleanArticle:
    run = _longest_text_run(html)
    if run > PARSER_MAX_TEXT_BYTES:
        raise DocumentRejected(
            "validate",
            f"the page holds {run / 1e6:.1f} MB of text in one piece, more than the HTML parser reads "
            f"({PARSER_MAX_TEXT_BYTES / 1e6:.0f} MB) and far more than an article (at most {settings.max_words:,} words): "
            "it is a book, a data dump or several pages in one; split it or leave it out of the landing folder",
        )
    try:
        article = _extract_html_article(html, settings)
    except DocumentRejected:
        if not settings.favor_precision:
            raise
        # favor_precision prunes harder and, on a few layouts, prunes the whole body away
        # (one of the 17 gold pages): the balanced settings get a second try before rejecting.
        return _extract_html_article(html, dataclasses.replace(settings, favor_precision=False))
    if settings.favor_precision or "\n" in article.text or len(article.text) > SHORT_PAGE_CHARS:
        return article
    # A short page in one paragraph from the balanced settings is mostly trafilatura's flat fallback
    # (headline, byline and body run together, italics lost): the precision settings keep the page's
    # paragraphs there, and win when they find more than one.
    try:
        precise = _extract_html_article(html, dataclasses.replace(settings, favor_precision=True))
    except DocumentRejected:
        return article
    return precise if "\n" in precise.text else article


def _extract_html_article(html: bytes | str, settings: ExtractionSettings) -> CleanArticle:
    try:
        document = trafilatura.bare_extraction(
            html,
            # The body tree is what we read (_body_blocks). With the default "python" output trafilatura
            # also renders it as Markdown, work we discard whose cost grows with the square of a
            # paragraph's inline tags: its merge of adjacent <hi> siblings re-copies the merged text
            # each time (one paragraph of <i><b><span>word </span></b></i>: 3.6 / 10.1 / 45.7 s of CPU
            # at 0.5 / 1 / 2 MB; 1.9 / 4.2 / 8.6 s without it). It also saves 13% on a normal page.
            output_format="xml",
            with_metadata=True,
            include_comments=False,
            include_tables=settings.include_tables,
            include_formatting=True,
            favor_precision=settings.favor_precision,
            favor_recall=settings.favor_recall,
            deduplicate=False,
            date_extraction_params={
                "extensive_search": True,
                "original_date": True,
                "max_date": (dt.date.today() + dt.timedelta(days=settings.max_date_ahead_days)).isoformat(),
            },
        )
    except (ValueError, TypeError, etree.ParserError) as exc:
        raise DocumentRejected("extract", f"the HTML could not be parsed ({exc}); check the file is a saved web page") from None
    if document is None or document.body is None:
        raise DocumentRejected(
            "extract",
            "no article text was found in the page (no body paragraphs); check it is an article page and not a listing, login or error page",
        )
    marked_text = normalize_text("\n".join(_body_blocks(document.body)))
    title = _clean_field(document.title)
    if settings.drop_leading_headline and title:
        marked_text = _drop_leading_headline(marked_text, title)
    text, italic_spans = _strip_italic_marks(marked_text)
    if not text:
        raise DocumentRejected(
            "extract",
            "no article text was found in the page (no body paragraphs); check it is an article page and not a listing, login or error page",
        )
    return CleanArticle(
        text=text,
        title=title,
        author=_clean_author(document.author),
        published_date=_parse_date(document.date),
        site=_clean_field(document.sitename) or _clean_field(document.hostname),
        url=_clean_field(document.url),
        italic_spans=italic_spans,
    )


# Leading "date YYYY-MM-DD" line of the plain-text export; the body may follow on the same line.
_DATE_HEADER = re.compile(r"\A\s*date[ \t]+(\S+)[ \t]*(?:\n|[ \t]|\Z)", re.IGNORECASE)


def parse_text_article(text: str) -> CleanArticle:
    published = None
    header = _DATE_HEADER.match(text)
    if header:
        value = header.group(1)
        try:
            published = dt.date.fromisoformat(value)
        except ValueError:
            raise DocumentRejected(
                "extract", f"the header 'date {value}' is not a valid date; write it as 'date YYYY-MM-DD' on the first line"
            ) from None
        text = text[header.end():]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"\n[^\S\n]*\n", text):
        # Blank lines separate paragraphs; single newlines are hard wraps inside one.
        blocks = [" ".join(block.split("\n")) for block in re.split(r"\n[^\S\n]*\n", text)]
    else:
        blocks = text.split("\n")
    return CleanArticle(text=normalize_text("\n".join(blocks)), published_date=published)


def _body_blocks(body: etree._Element) -> list[str]:
    """One string per paragraph-like element of trafilatura's body tree, italics marked."""
    blocks: list[str] = []

    def inline_text(element: etree._Element) -> str:
        parts = [element.text or ""]
        for child in element:
            if child.tag == "lb":
                parts.append("\n")
            elif child.tag in _BLOCK_TAGS:
                # A block nested inside a block (a list inside a quote): its own paragraph.
                blocks_in_child = "\n".join(_collect(child))
                parts.append("\n" + blocks_in_child + "\n")
            else:
                inner = inline_text(child)
                if child.tag == "hi" and "#i" in (child.get("rend") or "") and inner.strip():
                    inner = _ITALIC_OPEN + inner + _ITALIC_CLOSE
                parts.append(inner)
            parts.append(child.tail or "")
        return "".join(parts)

    def _collect(element: etree._Element) -> list[str]:
        if element.tag in {"list", "table", "quote", "div"} and len(element) and all(
            child.tag in _BLOCK_TAGS for child in element
        ):
            out = []
            for child in element:
                out.extend(_collect(child))
            return out
        if element.tag == "row":
            cells = [" ".join(inline_text(cell).split()) for cell in element]
            return [" | ".join(cell for cell in cells if cell)]
        return [inline_text(element)]

    for element in body:
        if element.tag == "graphic":
            continue
        blocks.extend(block for block in _collect(element) if not _is_link_furniture(block))
    return blocks


# Paragraphs a CMS puts between the article's own: "Related: The 25 best …", "READ MORE: …".
_LINK_FURNITURE = re.compile(
    r"^\s*(?:related(?:\s+(?:stories|coverage|articles?|content|reading))?|read\s+(?:more|also|next)|also\s+read|"
    r"see\s+also|more\s+(?:on\s+this|from\s+\w+)|recommended|trending|watch|listen|sign\s+up|subscribe|"
    r"don[’']t\s+miss|you\s+may\s+also\s+like)\s*[:|»›>—–-]",
    re.IGNORECASE,
)


def _is_link_furniture(block: str) -> bool:
    plain = block.replace(_ITALIC_OPEN, "").replace(_ITALIC_CLOSE, "")
    return bool(_LINK_FURNITURE.match(plain)) and len(plain.split()) <= 25


def _strip_italic_marks(marked: str) -> tuple[str, list[tuple[int, int]]]:
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    position, start = 0, None
    for ch in marked:
        if ch == _ITALIC_OPEN:
            start = position
        elif ch == _ITALIC_CLOSE:
            if start is not None and position > start:
                spans.append((start, position))
            start = None
        else:
            out.append(ch)
            position += 1
    text = "".join(out)
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return text, trimmed


def _drop_leading_headline(marked_text: str, title: str) -> str:
    first, _, rest = marked_text.partition("\n\n")
    plain_first = first.replace(_ITALIC_OPEN, "").replace(_ITALIC_CLOSE, "")
    if rest and _fold(plain_first) == _fold(title):
        return rest
    return marked_text


def _fold(text: str) -> str:
    return " ".join(text.casefold().translate(_QUOTE_FOLD).split())


def _clean_field(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(unicodedata.normalize("NFC", value).translate(_INVISIBLE).split())
    return value or None


# Byline furniture that CMS templates put inside the author element (seen on
# People, Page Six and others): everything from the first of these on is dropped.
_BYLINE_FURNITURE = re.compile(
    r"\s*\b(?:View author archive|Get author RSS feed|Updated|Published|Follow on|Read more|More by)\b.*$", re.IGNORECASE
)


def _clean_author(value: str | None) -> str | None:
    value = _clean_field(value)
    if value is None:
        return None
    authors = []
    for name in value.split(";"):
        name = _BYLINE_FURNITURE.sub("", name).strip()
        name = re.sub(r"^by\s+", "", name, flags=re.IGNORECASE).strip()
        if name and name not in authors:
            authors.append(name)
    return "; ".join(authors) or None


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
