"""Reading guidebook files (.txt, .md, .html, .docx, .pdf) into text, with encoding detection."""

from __future__ import annotations

import hashlib
import io
import logging
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from core.errors import DocumentError
from core.file_kind import file_kind

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

# Encodings tried in order when the bytes are not UTF-8; GB18030 is a superset of GBK/GB2312.
_FALLBACK_ENCODINGS = ("gb18030", "big5hkscs", "big5")
_HAN = re.compile(r"[\u4e00-\u9fff]")

# pypdf logs what it repaired ('invalid pdf header', 'EOF marker not found') as warnings. With no logging set
# up (the CLI) Python's last-resort handler printed them on stderr, noise the planner could not act on once the
# text was read; a handler of its own stops that, and a server that configures logging still receives them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())


class LoadedDocument(BaseModel):
    """The decoded text of one file, before cleaning."""

    source_name: str
    text: str
    sha256: str
    encoding: str


def load_document(path: Path, max_bytes: int = MAX_DOCUMENT_BYTES) -> LoadedDocument:
    """The decoded text of ``path``; DocumentError names the file and why it cannot be used."""
    path = Path(path)
    if not path.exists():
        raise DocumentError(f"{path}: no such file; check the path")
    if not path.is_file():
        raise DocumentError(f"{path}: not a regular file; pass document files, not directories")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            f"{path}: unsupported file type '{suffix or '(none)'}'; use one of {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(
                f"{path}: file is {size} bytes, over the {max_bytes}-byte limit; split it into smaller files"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read ({exc.strerror or exc}); check its permissions") from exc
    return load_bytes(data, path.name)


def load_bytes(data: bytes, source_name: str) -> LoadedDocument:
    """The decoded text of ``data`` named ``source_name`` (its suffix picks the format)."""
    if not data.strip():
        raise DocumentError(f"{source_name}: file is empty; add text to it or leave it out")
    suffix = _format(data, source_name)
    if suffix == ".docx":
        text, encoding = _docx_text(data, source_name), "docx"
    elif suffix == ".pdf":
        text, encoding = _pdf_text(data, source_name), "pdf"
    else:
        text, encoding = decode_text(data, source_name)
        if suffix in (".html", ".htm"):
            text = _html_text(text)
        elif suffix in (".md", ".markdown"):
            text = _markdown_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    if not text.strip():
        raise DocumentError(f"{source_name}: no text could be extracted; the file has no readable content")
    return LoadedDocument(
        source_name=source_name, text=text, sha256=hashlib.sha256(data).hexdigest(), encoding=encoding
    )


def _format(data: bytes, source_name: str) -> str:
    """The suffix of the format ``data`` is in: its bytes when they say (a PDF's header, a zip holding a Word
    document), else its name's. A Word file saved as 手册.pdf is read as Word rather than refused as a broken PDF
    with a fix ("export it again as PDF") that fails the same way."""
    kind = file_kind(data)
    if kind == "doc":
        raise DocumentError(f"{source_name}: a Word 97-2003 document (.doc); open it in Word and save it as .docx "
                            "(Word Document), then add that file")
    return f".{kind}" if kind else Path(source_name).suffix.lower()


def decode_text(data: bytes, source_name: str) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was in (UTF-8, GB18030/GBK or Big5)."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(f"{source_name}: looks like a binary file, not text; convert it to .txt, .docx or .pdf")
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[float, str, str] | None = None
    for encoding in _FALLBACK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is None or best[0] < 0.3:
        from charset_normalizer import from_bytes

        match = from_bytes(data).best()
        if match is None or match.encoding is None:
            raise DocumentError(
                f"{source_name}: cannot decode the text (not UTF-8, GB18030/GBK or Big5); save it as UTF-8"
            )
        return str(match), match.encoding
    return best[1], best[2]


def _plausibility(text: str) -> float:
    """How much ``text`` looks like real Chinese: printable, with Han characters that are common ones.

    A Big5 file decoded as GB18030 (or the reverse) often decodes without error but into rare
    characters; the share of common characters tells the right reading apart.
    """
    if not text:
        return 0.0
    from core.text.scripts import to_simplified
    from knowledge.clean import is_rare_han

    good = sum(1 for ch in text if ch.isprintable() or ch in "\n\t")
    han = _HAN.findall(to_simplified(text))
    common = sum(1 for ch in han if not is_rare_han(ch)) / len(han) if han else 0.5
    return good / len(text) * common


def _markdown_text(source: str) -> str:
    """A Markdown guidebook read as Markdown (markdown-it-py): headings (ATX or setext) as the ``#`` heading
    lines the structure step reads for every format, lists as ``-`` lines, table rows as their cells, and
    inline markup (**bold**, links, images, code) as its text, so passages quote words, not markup."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    blocks: list[tuple[str, str]] = []  # (kind, text): consecutive list items and table rows stay together
    row: list[str] = []
    prefix = ""
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            prefix = "#" * int(token.tag[1]) + " "
        elif token.type == "list_item_open":
            prefix = f"{token.info}. " if token.info else "- "
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline":
            text = _inline_text(token.children or [])
            if tokens[i - 1].type in ("th_open", "td_open"):
                row.append(text)
            else:
                blocks.append(("item" if prefix and not prefix.startswith("#") else "block", prefix + text))
                prefix = ""
        elif token.type == "tr_close":
            blocks.append(("row", " ".join(row)))
        elif token.type in ("fence", "code_block", "html_block"):
            blocks.append(("block", token.content.rstrip("\n")))
    out: list[str] = []
    for at, (kind, text) in enumerate(blocks):
        if out and kind != "block" and blocks[at - 1][0] == kind:
            out[-1] += "\n" + text
        else:
            out.append(text)
    return "\n\n".join(out) + "\n"


def _inline_text(children: list[Any]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
    return "".join(parts)


def _html_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header"]):
        tag.decompose()
    for level in range(1, 7):
        # Headings become Markdown headings so the structure step sees their level.
        for tag in soup(f"h{level}"):
            tag.replace_with(f"\n{'#' * level} {tag.get_text(' ', strip=True)}\n")
    return soup.get_text("\n")


def _docx_text(data: bytes, source_name: str) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for corrupt files
        raise DocumentError(f"{source_name}: not a valid .docx file ({exc}); re-save it from Word") from exc
    lines = []
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        level = re.fullmatch(r"Heading (\d)", style or "")
        # Word heading styles become Markdown headings so the structure step sees their level.
        lines.append(f"{'#' * int(level.group(1))} {paragraph.text}" if level and paragraph.text.strip() else paragraph.text)
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(data: bytes, source_name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(f"{source_name}: not a readable PDF ({exc}); export it again as PDF") from exc
    return "\n".join(pages)
