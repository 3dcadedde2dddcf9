"""Read one article: `read_article(path) -> Article` (UTF-8 text, HTML or .docx).

Bad input is refused with a SeedError naming the file and saying what to do: a missing,
empty, binary or huge file, or text that is not UTF-8 (the message says which encoding it
looks like). Nothing is written by this stage.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from chainkg.errors import SeedError, SeedProblem

MAX_BYTES = 4 * 1024 * 1024  # a newspaper article is tens of kilobytes
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
DOCX_SUFFIXES = (".docx",)
# Strict decoders tried on a non-UTF-8 file, to say which encoding it looks like.
LEGACY_ENCODINGS = ("gb18030", "big5", "utf-16")


@dataclass(frozen=True)
class Article:
    """An article's plain text (what quotes are checked against) and where it came from."""

    path: Path
    text: str
    format: str  # text, html or docx

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def headline(self) -> str:
        for line in self.text.splitlines():
            line = line.strip().lstrip("#").strip()
            if line:
                return line[:120]
        return self.path.stem


def _fail(path: Path, message: str, hint: str) -> SeedError:
    return SeedError([SeedProblem(str(path), None, None, message, hint)])


def read_article(path: Path | str) -> Article:
    """The article's text; raise SeedError for a file that cannot be an article."""
    path = Path(path)
    if not path.is_file():
        raise _fail(path, "file not found", "Check the path of the article")
    size = path.stat().st_size
    if size == 0:
        raise _fail(path, "the file is empty", "Pass the article's text (UTF-8)")
    if size > MAX_BYTES:
        raise _fail(
            path,
            f"the file is {size:,} bytes, more than the {MAX_BYTES:,} an article may have",
            "Split it into one file per article",
        )
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in DOCX_SUFFIXES:
        return Article(path, _docx_text(path, data), "docx")
    text = _decode(path, data)
    if suffix in HTML_SUFFIXES or text.lstrip()[:15].lower().startswith(
        ("<!doctype html", "<html")
    ):
        text = _html_text(text)
        fmt = "html"
    else:
        fmt = "text"
    if not text.strip():
        raise _fail(path, "the file has no text", "Pass an article with its text")
    return Article(path, text, fmt)


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise _fail(path, "looks like a zip archive (binary)", "Pass a .docx with its suffix")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise _fail(path, "is a binary file, not text", "Pass a UTF-8 text file") from exc
        guess = _guess_encoding(data)
        raise _fail(
            path,
            f"is not UTF-8 (byte {exc.start}); it looks like {guess}",
            f"Convert it, e.g. `iconv -f {guess} -t UTF-8 {path.name} > {path.stem}.utf8.txt`",
        ) from exc
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if "\x00" in text or controls > 8:
        raise _fail(path, "is a binary file, not text", "Pass a UTF-8 text file")
    return text


def _guess_encoding(data: bytes) -> str:
    """The encoding a non-UTF-8 file most likely uses (charset-normalizer, then strict
    decodes of the usual Chinese legacy encodings)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    if best is not None and best.encoding not in ("utf_8", "ascii"):
        return best.encoding.replace("_", "-").upper()
    for encoding in LEGACY_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding.upper()
    return "an unknown (binary?) encoding"


def _html_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    lines = (line.strip() for line in soup.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line) + "\n"


def _docx_text(path: Path, data: bytes) -> str:
    if not zipfile.is_zipfile(path):
        raise _fail(path, "is not a .docx (not a zip archive)", "Save it again as .docx")
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on bad files
        raise _fail(path, f"cannot be read as .docx ({exc})", "Save it again as .docx") from exc
    del data
    text = "\n".join(p.text for p in document.paragraphs if p.text.strip())
    if not text.strip():
        raise _fail(path, "the .docx has no text", "Pass an article with its text")
    return text + "\n"
