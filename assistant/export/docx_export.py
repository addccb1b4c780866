"""Word export: real headings, real tables for the budget and the timeline, a sources list, and a
Chinese font for East Asian text (``w:eastAsia``) so Word does not fall back to a Latin font."""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Inches, Pt

from assistant.export.blocks import body_blocks
from assistant.export.charts import chart_notice, render_chart
from core.plan import Plan

# Fonts Word ships on Chinese systems: 宋体 for Simplified body text, 新細明體 for Traditional, 黑体 headings.
_BODY_FONT = {"zh-Hans": "宋体", "zh-Hant": "新細明體", "en": "宋体"}
_HEADING_FONT = {"zh-Hans": "黑体", "zh-Hant": "微軟正黑體", "en": "黑体"}
SOURCES_TITLE = {"zh-Hans": "参考来源", "zh-Hant": "參考來源", "en": "Sources"}


def _set_east_asian_font(style: object, name: str) -> None:
    element = style.element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _styled_document(script: str) -> DocxDocument:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    _set_east_asian_font(normal, _BODY_FONT.get(script, "宋体"))
    for name in ("Title", "Heading 1", "Heading 2"):
        _set_east_asian_font(document.styles[name], _HEADING_FONT.get(script, "黑体"))
    return document


# Characters XML 1.0 cannot hold (C0 controls other than tab/newline/return, lone surrogates,
# U+FFFE/U+FFFF): a section edit or a model reply may carry them, and python-docx refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: Any) -> Any:
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {k: _xml_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_xml_safe(v) for v in value]
    return value


def plan_to_docx(plan: Plan) -> bytes:
    """The plan as a .docx file: title, one Heading 1 per chapter, paragraphs, bullet lists, Word
    tables (header row bold) with the timeline's Gantt chart and the budget chart under their tables,
    and a numbered sources list for the citations. Characters XML cannot hold are left out."""
    plan = Plan.model_validate(_xml_safe(plan.model_dump()))
    document = _styled_document(plan.script)
    charts = {"timeline": "timeline", "budget": "budget"}
    notice = chart_notice(plan)
    document.add_heading(plan.title or SOURCES_TITLE.get(plan.script, ""), level=0)
    for chapter in plan.chapters:
        document.add_heading(chapter.title, level=1)
        for block in body_blocks(chapter.body):
            if block.kind == "table" and block.rows:
                width = max(len(r) for r in block.rows)
                table = document.add_table(rows=len(block.rows), cols=width)
                table.style = document.styles["Table Grid"]
                for r, row in enumerate(block.rows):
                    for c in range(width):
                        cell = table.cell(r, c)
                        cell.text = row[c] if c < len(row) else ""
                        if r == 0:
                            for run in cell.paragraphs[0].runs:
                                run.bold = True
                name = charts.pop(chapter.key or "", None)
                picture = render_chart(plan, name) if name else None
                if picture is not None:
                    document.add_picture(io.BytesIO(picture), width=Inches(6))
                elif name and notice:
                    document.add_paragraph(f"({notice})")
            elif block.kind == "bullet":
                document.add_paragraph(block.text, style="List Bullet")
            else:
                document.add_paragraph(block.text)
    if plan.citations:
        document.add_heading(SOURCES_TITLE.get(plan.script, "参考来源"), level=1)
        for citation in plan.citations:
            where = " > ".join(x for x in (citation.title, citation.section) if x) or citation.doc
            document.add_paragraph(f"[{citation.n}] {where}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
