"""Finding article files in the landing folder and reading their bytes safely."""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import stat
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

from .errors import DocumentRejected

# Suffixes the pipeline reads; anything else found in the landing folder is
# rejected with a reason rather than skipped, so nothing disappears silently.
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
TEXT_SUFFIXES = (".txt",)
SUPPORTED_SUFFIXES = HTML_SUFFIXES + TEXT_SUFFIXES

# News pages are rarely above 2-3 MB; these caps stop a stray video or a gzip
# bomb from taking the run's memory.
MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_DECOMPRESSED_BYTES = 50 * 1024 * 1024

# Magic numbers of formats people drop into folders by mistake.
_BINARY_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or a Word/Excel file)",
    b"\x1f\x8b": "gzip-compressed data",
}


@dataclass(frozen=True)
class SourceFile:
    """A file found in the landing folder, before it is read."""

    path: Path  # absolute, as the file system names it (possibly with undecodable bytes)
    relative_path: str  # POSIX path inside the landing folder: the file's identity (always valid text)
    size: int
    mtime_ns: int
    problem: str | None = None  # why it must not be opened at all (not a regular file, a link out, a bad name)
    # What the listing checked, so that what is read is that very file: the path naming it with no
    # link in its last part (a link inside the folder: its target) and its (device, inode).
    checked_path: Path | None = None
    device_inode: tuple[int, int] | None = None

    @property
    def source_path(self) -> str:
        """The absolute path as text for rows and messages: undecodable bytes shown escaped (\\xe9)."""
        return printable_path(self.path)


def printable_path(path: Path | str) -> str:
    """A path as valid text: bytes that are not UTF-8 shown as \\xNN escapes, never an error."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _why_not_readable(path: Path, root: Path) -> tuple[str | None, os.stat_result | None, Path]:
    """Why a file in the landing folder must not be opened (None for a plain file of the folder),
    with its stat and the path to open (a link's target), so the folder walk looks at each file once.

    Opening a named pipe blocks until someone writes to it, and a device or socket is no
    article: only regular files are read. A link is followed only when its target lies in
    the landing folder, so the folder cannot pull in files from elsewhere.
    """
    try:
        printable = str(path).encode("utf-8")
    except UnicodeEncodeError:
        printable = None
    checked = path
    try:
        status = path.lstat()
        if printable is None:
            return (f"the file name is not valid UTF-8 ({printable_path(path.name)}); rename the file with a "
                    "UTF-8 name so its rows can name it"), status, checked
        if stat.S_ISLNK(status.st_mode):
            checked = path.resolve()
            if checked != root and root not in checked.parents:
                return ("the file is a link to something outside the landing folder; copy the article into the "
                        "folder instead"), status, path
            status = checked.lstat()  # the target's size and time, for a link inside the folder
    except OSError:
        return None, None, checked  # a dangling link or a file gone meanwhile: reading it reports that
    mode = status.st_mode
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
        return f"this is {kind}, not a file: the pipeline reads only regular files; remove it from the landing folder", status, checked
    return None, status, checked


@dataclass(frozen=True)
class SourceDocument:
    """The decoded-enough content of one file, ready for extraction."""

    source: SourceFile
    kind: str  # "html" or "text"
    content: bytes  # decompressed (UTF-16 without a BOM: as UTF-8): HTML is decoded by trafilatura, text by decode_text
    file_sha256: str  # of the bytes on disk, to notice changed files


def document_kind(path: Path | str) -> str | None:
    name = str(path).lower()
    if name.endswith(HTML_SUFFIXES):
        return "html"
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    return None


def discover_source_files(root: Path) -> list[SourceFile]:
    """Every regular file under ``root``, sorted by relative path.

    Hidden files and folders (``.DS_Store``, ``.git``, editors' swap files) are
    not articles and are left out; every other file is returned, supported or
    not, so unsupported ones can be rejected with a reason.
    """
    root = Path(root).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"the landing folder {root} does not exist or is not a folder")
    found: list[SourceFile] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            # A dangling symlink (no status) still has to be reported, not skipped.
            problem, status, checked = _why_not_readable(path, root)
            found.append(
                SourceFile(
                    path=path,
                    relative_path=printable_path(path.relative_to(root).as_posix()),
                    size=status.st_size if status else -1,
                    mtime_ns=status.st_mtime_ns if status else -1,
                    problem=problem,
                    checked_path=checked,
                    device_inode=(status.st_dev, status.st_ino) if status else None,
                )
            )
    return sorted(found, key=lambda f: f.relative_path)


def _open_as_listed(source: SourceFile) -> int:
    """A descriptor of the very file the listing checked, or DocumentRejected.

    Between the listing and the read, the file can be replaced, by a link to a file
    outside the folder among others. Opening without following a link (O_NOFOLLOW) and
    comparing the opened file's device and inode with the listed ones means that what
    is read is what was checked. O_NONBLOCK: a named pipe swapped in is refused by its
    status instead of blocking the open until someone writes to it.
    """
    path = source.checked_path or source.path
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise DocumentRejected(
                "read", "the file was replaced by a link after the folder was listed, and links are not followed then; "
                        "put the article itself in the landing folder and run again") from None
        raise
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise DocumentRejected(
                "read", "the file was replaced by something that is not a regular file (a folder, pipe, device or socket) after "
                        "the folder was listed; put the article itself in the landing folder and run again")
        if source.device_inode is not None and (status.st_dev, status.st_ino) != source.device_inode:
            raise DocumentRejected(
                "read", "the file was replaced by another one after the folder was listed, so what was checked is not "
                        "what would be read; run again to read the new file")
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _read_with_time_limit(source: SourceFile, limit: int, timeout: float) -> bytes:
    """Up to ``limit`` bytes of the file the listing checked, or TimeoutError after ``timeout`` seconds.

    Files are read inside the ingest transaction, which holds the warehouse's write lock;
    a read that hangs (a stalled network mount) must not hold it for ever. The reader is
    a daemon thread: if it never returns, it is left behind and does not keep the process alive.
    """
    outcome: dict[str, object] = {}

    def read() -> None:
        try:
            with os.fdopen(_open_as_listed(source), "rb") as handle:
                outcome["data"] = handle.read(limit)
        except BaseException as error:  # handed to the caller's thread
            outcome["error"] = error

    reader = threading.Thread(target=read, name="read-landing-file", daemon=True)
    reader.start()
    reader.join(timeout)
    if reader.is_alive():
        raise TimeoutError(source.path)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["data"]  # type: ignore[return-value]


# Seconds one file may take to read; a local news page takes milliseconds.
READ_TIMEOUT_SECONDS = 30.0


def read_source_document(source: SourceFile, timeout: float = READ_TIMEOUT_SECONDS) -> SourceDocument:
    """Read one file's bytes, decompressing ``.gz``; raise DocumentRejected on failure."""
    if source.problem:
        raise DocumentRejected("read", source.problem)
    kind = document_kind(source.path)
    if kind is None:
        raise DocumentRejected(
            "read",
            f"unsupported file type '{''.join(source.path.suffixes) or source.path.name}': "
            f"the pipeline reads {', '.join(SUPPORTED_SUFFIXES)}; convert the file or move it out of the landing folder",
        )
    try:
        raw = _read_with_time_limit(source, MAX_FILE_BYTES + 1, timeout)
    except TimeoutError:
        raise DocumentRejected(
            "read", f"reading the file took longer than {timeout:.0f} s (a stalled network drive or a special file?); "
                    "copy it to a local folder and run again") from None
    except FileNotFoundError:
        raise DocumentRejected("read", "the file vanished or is a broken link; restore it or remove the link") from None
    except IsADirectoryError:
        raise DocumentRejected("read", "this is a folder named like an article file; rename it") from None
    except OSError as exc:
        raise DocumentRejected("read", f"the file cannot be read ({exc.strerror}); check its permissions") from None
    if len(raw) > MAX_FILE_BYTES:
        raise DocumentRejected(
            "read", f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, far beyond a news page; check what it is"
        )
    file_sha256 = hashlib.sha256(raw).hexdigest()
    content = raw
    if str(source.path).lower().endswith(".gz"):
        content = _gunzip_capped(raw)
    if not content.strip():
        raise DocumentRejected("read", "the file is empty; re-download or re-export the article")
    content = _as_text_bytes(content, kind)
    return SourceDocument(source=source, kind=kind, content=content, file_sha256=file_sha256)


# Members of one .gz file: `cat a.gz b.gz` makes two, bgzip one per 64 KB (some 800 at the size cap).
# Each costs a decompressor, so a file of a million empty members is refused rather than walked.
MAX_GZIP_MEMBERS = 10_000


def _gunzip_capped(raw: bytes) -> bytes:
    """Every member of a gzip file, one after the other, as gzip(1) reads them, within the caps."""
    out = bytearray()
    rest = raw
    for member in range(MAX_GZIP_MEMBERS):
        # zlib with a max_length bound: a small bomb cannot expand past the cap, over all members.
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            out += decompressor.decompress(rest, MAX_DECOMPRESSED_BYTES + 1 - len(out))
        except zlib.error:
            if member == 0:
                raise DocumentRejected(
                    "read", "the .gz file is not valid gzip data (corrupt or not compressed); re-download it or drop the .gz suffix"
                ) from None
            raise DocumentRejected(
                "read", f"the .gz file holds data that is not gzip after its first {member} member(s) (damaged, or "
                        "something appended to it); re-download it") from None
        if len(out) > MAX_DECOMPRESSED_BYTES or decompressor.unconsumed_tail:
            raise DocumentRejected(
                "read", f"the .gz file expands beyond {MAX_DECOMPRESSED_BYTES // (1024 * 1024)} MB, which no news page does"
            )
        if not decompressor.eof:
            raise DocumentRejected("read", "the .gz file is truncated (the download was cut short); re-download it")
        # Zero bytes after the last member are padding (gzip(1) ignores them too).
        rest = decompressor.unused_data.lstrip(b"\0")
        if not rest:
            return bytes(out)
    raise DocumentRejected(
        "read", f"the .gz file is made of more than {MAX_GZIP_MEMBERS:,} gzip members, which no saved page is; "
                "re-compress it as one (gunzip, then gzip)")


# How much of a page is sniffed for binary content: a NUL byte in an HTML page's body is dropped
# by the parser, as the HTML standard says, but one near the start means the file is no HTML.
HTML_SNIFF_BYTES = 4096
_UNICODE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def _as_text_bytes(content: bytes, kind: str) -> bytes:
    """The content, re-encoded as UTF-8 when it is UTF-16 text without a byte-order mark;
    DocumentRejected when it is a known binary format or holds NUL bytes no text has."""
    for signature, what in _BINARY_SIGNATURES.items():
        if content.startswith(signature):
            raise DocumentRejected("read", f"the file is {what}, not {'HTML' if kind == 'html' else 'text'}; check what was saved")
    # Text in UTF-16/32 is legitimate and full of NUL bytes; anything else with them is binary.
    if content.startswith(_UNICODE_BOMS):
        return content
    first_nul = content.find(b"\x00")
    if first_nul < 0 or (kind == "html" and first_nul >= HTML_SNIFF_BYTES):
        return content
    byte_order = _utf16_byte_order(content)
    if byte_order:
        return _utf16_as_utf8(content, byte_order)
    # A NUL is in no UTF-8 or Windows-1252 prose. In a text file it means binary data, or a damaged
    # export (an interrupted copy or a crash mid-write leaves zero-filled blocks): removing the NULs
    # would land a damaged article as if it were whole, so the file is refused and the reason says where.
    raise DocumentRejected(
        "read", f"the file holds a NUL byte at byte {first_nul:,}, which no text has: it is binary data, or an export "
                "damaged by an interrupted copy (zero-filled); re-export it, or check what was saved under this name")


def _utf16_byte_order(content: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the zero bytes fall as in UTF-16 text without a byte-order mark.

    Each character of the Latin, Greek and Cyrillic alphabets, digits and punctuation is two
    bytes in UTF-16, one of them zero for ASCII: zeros on one side only (the odd bytes in
    little-endian). Binary data and zero-filled damage have zeros on both sides alike.
    """
    sample = content[:65_536]
    even_zeros, odd_zeros = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd_zeros >= pairs * 0.3 and even_zeros <= odd_zeros * 0.02:
        return "utf-16-le"
    if even_zeros >= pairs * 0.3 and odd_zeros <= even_zeros * 0.02:
        return "utf-16-be"
    return None


def _utf16_as_utf8(content: bytes, byte_order: str) -> bytes:
    """UTF-16 text as UTF-8 bytes, or a reason saying it looked like UTF-16 and is not."""
    try:
        text = content.decode(byte_order)
    except UnicodeDecodeError as error:
        problem = f"byte {error.start:,} is not {byte_order.upper()}"
    else:
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
        if controls <= max(2, len(text) // 200):
            return text.encode("utf-8")
        problem = f"{controls:,} control characters come out of it"
    raise DocumentRejected(
        "decode", f"the file looks like UTF-16 text without a byte-order mark (every other byte is zero) but is not: "
                  f"{problem}; re-save it as UTF-8")


def decode_text(content: bytes) -> str:
    """Decode a plain-text article: BOMs honoured, UTF-8 expected, Windows-1252 tolerated.

    Windows-1252 is the one legacy encoding common in exported newsroom text;
    anything that decodes in neither is rejected rather than guessed at.
    """
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if content.startswith(bom):
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                raise DocumentRejected(
                    "decode", f"the file starts with a {encoding} byte-order mark but is not valid {encoding}; re-save it as UTF-8"
                ) from None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError:
        raise DocumentRejected(
            "decode",
            f"the text is not UTF-8 (invalid byte at position {utf8_error.start}) nor Windows-1252; re-save it as UTF-8",
        ) from None
    # cp1252 decodes almost anything; C1-range control characters mean it was not really cp1252.
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(2, len(text) // 200):
        raise DocumentRejected(
            "decode", f"the text is not UTF-8 (invalid byte at position {utf8_error.start}); re-save it as UTF-8"
        )
    return text
