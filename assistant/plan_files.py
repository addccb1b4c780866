"""Plan files as the reader takes them: Markdown or text decoded, Word (.docx) turned into the same
Markdown the reader parses — Title and Heading styles become '#' headings, bold-only paragraphs bold lines,
list styles list items, Word tables pipe tables — one line per paragraph, so line numbers count paragraphs."""

from __future__ import annotations

import io

from core.errors import PlanFormatError
from core.file_kind import file_kind

_ZIP_MAGIC = b"PK\x03\x04"


def is_docx(data: bytes) -> bool:
    """Whether ``data`` is a Word document (a zip holding word/document.xml)."""
    return file_kind(data) == "docx"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def docx_to_markdown(data: bytes) -> str:
    """The Markdown text of a Word plan, paragraphs and tables in document order."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for damaged files
        raise PlanFormatError(f"the Word file cannot be read ({type(exc).__name__}): save it again as .docx") from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = [[_cell(c.text) for c in row.cells] for row in block.rows]
            if not rows:
                continue
            width = max(len(r) for r in rows)
            if lines and lines[-1].strip():
                lines.append("")
            for n, row in enumerate(rows):
                lines.append("| " + " | ".join(row + [""] * (width - len(row))) + " |")
                if n == 0:
                    lines.append("|" + " --- |" * width)
            lines.append("")
            continue
        assert isinstance(block, Paragraph)
        lines.append(_paragraph(block))
    return "\n".join(lines).strip("\n") + "\n"


def _paragraph(paragraph: object) -> str:
    text = paragraph.text.strip()  # type: ignore[attr-defined]
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""  # type: ignore[attr-defined]
    if style == "Title":
        return f"# {text}"
    if style.startswith("Heading"):
        level = style.removeprefix("Heading").strip()
        return "#" * min(6, (int(level) if level.isdigit() else 1) + 1) + f" {text}"
    if style.startswith("List Bullet"):
        return f"- {text}"
    if style.startswith("List Number"):
        return f"1. {text}"
    runs = [r for r in paragraph.runs if r.text.strip()]  # type: ignore[attr-defined]
    if runs and all(r.bold for r in runs) and len(text) <= 40:
        return f"**{text}**"
    return text


def plan_text(data: bytes, name: str = "plan") -> str:
    """The Markdown text of a plan file's bytes (Word, or UTF-8 / GB18030 text); PlanFormatError naming
    ``name`` and the fix when it is neither."""
    kind = file_kind(data)
    if kind == "docx":
        return docx_to_markdown(data)
    if kind == "doc":
        raise PlanFormatError(f"{name} is an old Word (.doc) file: open it in Word or WPS and save it as "
                              "Word Document (.docx), then validate that")
    if kind == "pdf":
        raise PlanFormatError(f"{name} is a PDF: a PDF keeps no headings or tables to check; export the plan from "
                              "Word or WPS as Word Document (.docx), or give it as Markdown (.md)")
    if name.lower().endswith(".docx"):
        raise PlanFormatError(f"{name} does not open as a Word document: save it again from Word or WPS as "
                              "Word Document (.docx), or give the plan as Markdown (.md)")
    if data.startswith(_ZIP_MAGIC) or b"\x00" in data[:8192]:
        raise PlanFormatError(f"{name} is a binary file, not a plan: give a Markdown, text or Word (.docx) file")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanFormatError(f"{name} is not UTF-8 text: save the plan as UTF-8 Markdown or as Word (.docx)")


__all__ = ["docx_to_markdown", "is_docx", "plan_text"]
