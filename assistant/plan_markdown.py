"""Plans as Markdown: read the plans people write (``parse_plan``) and write plans back (``render_plan``).

People write chapters as ``## 一、活动背景`` or as bare numbered lines (``一、活动背景`` / ``第一章 …``),
budgets as pipe tables in 元, 万元 or 萬 with optional share columns and a 合计 row, and timelines as
tables or lists with dates in several formats. The parser records line numbers (1-based) so findings
can point at them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from assistant.briefs.amounts import normalize_number_text, parse_amount
from assistant.briefs.dates import find_dates, infer_year
from assistant.briefs.request import writing_script
from assistant.errors import BriefError, PlanFormatError
from assistant.plan import BudgetLine, Chapter, Citation, Phase, Plan
from knowledge.scripts import ScriptName, to_simplified
from knowledge.templates import Template, load_template, strip_numbering

UNSUPPORTED_MARK = "<!-- cehua:unsupported -->"

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_CN = "一二三四五六七八九十"
# Top-level numbering without '#': 一、背景 / 第一章 背景 / 第1部分 背景.
_TOP_NUMBERED = re.compile(
    rf"^\s*(?:\*\*)?\s*(?:[{_CN}]{{1,3}}\s*[、.．]|第\s*[{_CN}\d]{{1,3}}\s*(?:章|部分|篇|节|節)\s*[:：、.．]?)\s*(?P<text>\S.*?)\s*(?:\*\*)?\s*$"
)
_ARABIC_NUMBERED = re.compile(r"^\s*(?:\*\*)?\s*\d{1,2}\s*[、.．]\s*(?P<text>\S.*?)\s*(?:\*\*)?\s*$")
_BRACKET_NUMBERED = re.compile(rf"^\s*(?:\*\*)?\s*[（(]\s*[{_CN}]{{1,3}}\s*[)）]\s*[、.．]?\s*(?P<text>\S.*?)\s*(?:\*\*)?\s*$")
_BOLD_LINE = re.compile(r"^\s*\*\*(?P<text>[^*]{2,30}?)\*\*\s*[:：]?\s*$")
_SENTENCE_END = re.compile(r"[。；;，,！!？?]$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CITATION_MARK = re.compile(r"\[(\d{1,3})\](?!\()")
_REFERENCES = re.compile(r"^(?:参考资料|参考文献|引用资料|引用来源|资料来源|来源|出处|references|sources|citations)$",
                         re.IGNORECASE)
_UNSUPPORTED_PHRASE = re.compile(
    r"(?:指南|资料|知识库|guidebook)[^。\n]{0,10}(?:未找到|没有找到|没有|无|缺少)(?:相关|足够)?(?:依据|内容|资料)|"
    r"not supported by the guidebooks|no guidebook support",
    re.IGNORECASE,
)

_ITEM_FIRST = re.compile(r"项目|明细|名称|费用项|item|line item", re.I)
_ITEM_HEAD = re.compile(r"项目|科目|类别|类目|明细|名称|用途|内容|费用项|item|category|line|purpose", re.I)
_AMOUNT_HEAD = re.compile(r"金额|费用|预算|投入|花费|支出|成本|总价|总额|小计|合计|amount|cost|budget|spend|cny|rmb|元", re.I)
_NOT_AMOUNT_HEAD = re.compile(r"单价|占比|比例|比重|share|percent|%|unit price|数量|qty|quantity", re.I)
_SHARE_HEAD = re.compile(r"占比|比例|比重|百分比|share|percent|%|ratio", re.I)
_NOTE_HEAD = re.compile(r"备注|说明|note|remark|明细说明|依据", re.I)
_TOTAL_ROW = re.compile(r"^(?:合计|总计|总额|总预算|预算总额|总费用|费用合计|共计|总和|total|grand total|sum)\b", re.I)
_SUBTOTAL_ROW = re.compile(r"小计|subtotal|sub-total", re.I)
_UNIT_IN_HEAD = re.compile(r"(?:[（(]|/|单位[:：]?)\s*(?:单位[:：]?\s*)?(?P<u>亿元|亿|万元|万|千元|k|w|元|rmb|cny|¥)\s*[)）]?",
                           re.I)
_UNIT_LINE = re.compile(r"单位\s*[:：]\s*(?P<u>亿元|亿|万元|万|千元|元)")
_UNIT_SCALE = {"亿元": 1e8, "亿": 1e8, "万元": 1e4, "万": 1e4, "w": 1e4, "千元": 1e3, "k": 1e3, "元": 1.0,
               "rmb": 1.0, "cny": 1.0, "¥": 1.0}

_PHASE_HEAD = re.compile(r"阶段|环节|时期|步骤|节点|名称|phase|stage|step|period name|milestone", re.I)
_START_HEAD = re.compile(r"开始|起始|start|from|begin", re.I)
_END_HEAD = re.compile(r"结束|截止|完成|end|until|to$|finish", re.I)
_WHEN_HEAD = re.compile(r"时间|日期|周期|时段|起止|date|time|when|period|dates", re.I)
_WORK_HEAD = re.compile(r"工作|内容|任务|事项|活动|重点|work|task|activit|action|deliverable", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.、)）]|[（(]?[一二三四五六七八九十]{1,2}[)）、])\s*")


@dataclass
class _Table:
    line: int  # 1-based line of the header row
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    before: str = ""  # the two lines above the table, where 「单位:万元」 is written


@dataclass
class _Heading:
    index: int  # 0-based line index
    level: int  # 1..6 for '#', 7 for 一、/第一章 lines, 8 for 1、 lines
    text: str
    inline: str = ""  # text after a colon on the same line (一、活动主题:月满团圆)


def _check_text(text: str) -> str:
    if not isinstance(text, str):
        raise PlanFormatError("a plan must be text (Markdown), not bytes: decode it as UTF-8 first")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise PlanFormatError("the plan is empty: write chapters such as '## 一、活动背景与目标' with text under them")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if "\x00" in text or controls > max(3, len(text) // 200):
        raise PlanFormatError("the file looks binary, not a plan: give a Markdown or text file")
    return text


def _split_cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", body)]


def _tables(lines: list[str], lo: int = 0, hi: int | None = None) -> list[_Table]:
    """Pipe tables in lines[lo:hi] (a header row followed by a |---| separator)."""
    hi = len(lines) if hi is None else hi
    out: list[_Table] = []
    i = lo
    while i < hi - 1:
        if "|" in lines[i] and _TABLE_SEP.match(lines[i + 1]) and "-" in lines[i + 1]:
            before = "\n".join(lines[max(lo, i - 2) : i])
            table = _Table(line=i + 1, header=_split_cells(lines[i]), before=before)
            j = i + 2
            while j < hi and "|" in lines[j] and lines[j].strip():
                table.rows.append((j + 1, _split_cells(lines[j])))
                j += 1
            if j < hi and _UNIT_LINE.search(lines[j]):
                table.before += "\n" + lines[j]
            out.append(table)
            i = j
        else:
            i += 1
    return out


def _plain(cell: str) -> str:
    return to_simplified(re.sub(r"[*_`~]", "", cell)).strip()


def _column(header: list[str], pattern: re.Pattern[str], exclude: set[int] | None = None,
            reject: re.Pattern[str] | None = None) -> int | None:
    exclude = exclude or set()
    for i, cell in enumerate(header):
        text = _plain(cell)
        if i in exclude or not pattern.search(text):
            continue
        if reject is not None and reject.search(text):
            continue
        return i
    return None


def _unit_scale(text: str) -> float | None:
    m = _UNIT_IN_HEAD.search(to_simplified(text))
    if m:
        return _UNIT_SCALE[m.group("u").lower()]
    m = _UNIT_LINE.search(to_simplified(text))
    return _UNIT_SCALE[m.group("u")] if m else None


_LEADING_AMOUNT = re.compile(r"^[¥￥]?\s*\d+(?:\.\d+)?\s*(?:亿元|亿|万元|万|千元|元|w|k)?", re.I)


def _amount(cell: str, unit: float) -> float | None:
    text = normalize_number_text(_plain(cell)).replace("约", "").replace("≈", "").strip()
    if not text or text in ("-", "—", "/", "–"):
        return None
    try:
        return parse_amount(text, default_unit=unit)
    except BriefError:
        pass
    # 「8万元(含设计费)」: the amount leads, a remark follows.
    lead = _LEADING_AMOUNT.match(text)
    if lead is None:
        return None
    try:
        return parse_amount(lead.group(0), default_unit=unit)
    except BriefError:
        return None


def _share(cell: str) -> float | None:
    text = normalize_number_text(_plain(cell)).replace("约", "").strip()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%?", text)
    return float(m.group(1)) if m else None


def _is_budget_table(table: _Table) -> bool:
    return _column(table.header, _AMOUNT_HEAD, reject=_NOT_AMOUNT_HEAD) is not None


def _budget_from_table(table: _Table) -> tuple[list[BudgetLine], float | None]:
    header = table.header
    amount_col = _column(header, _AMOUNT_HEAD, reject=_NOT_AMOUNT_HEAD)
    assert amount_col is not None
    share_col = _column(header, _SHARE_HEAD, exclude={amount_col})
    busy = {amount_col} | ({share_col} if share_col is not None else set())
    # 「类别 | 项目 | 金额」: the line item is the 项目 column, not the category.
    item_col = _column(header, _ITEM_FIRST, exclude=busy)
    if item_col is None:
        item_col = _column(header, _ITEM_HEAD, exclude=busy)
    if item_col is None:
        item_col = 0 if amount_col != 0 else 1
    taken = {amount_col, item_col} | ({share_col} if share_col is not None else set())
    note_col = _column(header, _NOTE_HEAD, exclude=taken)
    unit = _unit_scale(header[amount_col]) or _unit_scale(table.before) or 1.0
    lines: list[BudgetLine] = []
    total: float | None = None
    raw_shares: list[float | None] = []
    for line_no, cells in table.rows:
        if len(cells) <= max(amount_col, item_col):
            continue
        item = re.sub(r"[*_`]", "", cells[item_col]).strip()
        amount = _amount(cells[amount_col], unit)
        if amount is None:
            continue
        # The 合计 word may sit in any text column (「| 合计 | | 50000 |」 under a 类别 | 项目 header).
        words = [_plain(c).replace(" ", "") for i, c in enumerate(cells) if i not in busy]
        if any(_TOTAL_ROW.match(w) for w in words):
            total = amount
            continue
        if any(_SUBTOTAL_ROW.search(w) for w in words):
            continue
        if not item:
            continue
        share = _share(cells[share_col]) if share_col is not None and share_col < len(cells) else None
        raw_shares.append(share)
        note = cells[note_col].strip() if note_col is not None and note_col < len(cells) else ""
        lines.append(BudgetLine(item=item, amount=amount, share=share, note=note, line=line_no))
    known = [s for s in raw_shares if s is not None]
    # Shares written as fractions (0.5, 0.3 …) rather than percents.
    if known and all(s <= 1.0 for s in known) and 0.9 <= sum(known) <= 1.1 and share_col is not None:
        has_pct = any("%" in c[share_col] for _, c in table.rows if share_col < len(c))
        if not has_pct:
            for bl in lines:
                if bl.share is not None:
                    bl.share = round(bl.share * 100, 4)
    return lines, total


_LIST_AMOUNT = re.compile(
    r"^(?P<item>[^:：|]{1,30}?)\s*[:：]\s*(?P<amt>[¥￥]?\s*[\d,.]+\s*(?:亿元|亿|万元|万|千元|元|w|k)?|[一二两三四五六七八九十百千万亿]+\s*(?:万元|万|元))"
    r"\s*(?:[(（,，]\s*(?:占比|佔比|比例|约)?\s*(?P<share>\d+(?:\.\d+)?)\s*%\s*[)）]?)?",
    re.I,
)


def _budget_from_list(lines: list[str], lo: int, hi: int) -> tuple[list[BudgetLine], float | None]:
    """Budget lines written as a list in the budget chapter: 「- 物料:8万元(占比27%)」."""
    out: list[BudgetLine] = []
    total: float | None = None
    for i in range(lo, hi):
        text = _BULLET.sub("", lines[i]).strip()
        m = _LIST_AMOUNT.match(to_simplified(text))
        if not m or not _BULLET.match(lines[i]) and not _TOTAL_ROW.match(_plain(m.group("item"))):
            continue
        amount = _amount(m.group("amt"), 1.0)
        if amount is None:
            continue
        item = text[: len(m.group("item"))].strip()
        if _TOTAL_ROW.match(_plain(item)):
            total = amount
            continue
        share = float(m.group("share")) if m.group("share") else None
        out.append(BudgetLine(item=item, amount=amount, share=share, line=i + 1))
    return out, total


def _date_cell(cell: str, year: int | None) -> tuple[dt.date | None, dt.date | None, bool]:
    found = find_dates(cell, year, dots=True)
    if not found:
        return None, None, False
    return found[0].start, found[0].end, found[0].year_given


def _phases_from_table(table: _Table, year: int | None) -> list[Phase]:
    header = table.header
    start_col = _column(header, _START_HEAD)
    end_col = _column(header, _END_HEAD, exclude={start_col} if start_col is not None else set())
    when_col = None if start_col is not None else _column(header, _WHEN_HEAD)
    date_cols = {c for c in (start_col, end_col, when_col) if c is not None}
    if not date_cols:
        return []
    name_col = _column(header, _PHASE_HEAD, exclude=date_cols)
    if name_col is None:
        name_col = next((i for i in range(len(header)) if i not in date_cols), 0)
    work_col = _column(header, _WORK_HEAD, exclude=date_cols | {name_col})
    phases: list[Phase] = []
    for line_no, cells in table.rows:
        def cell(i: int | None, cells: list[str] = cells) -> str:
            return cells[i] if i is not None and i < len(cells) else ""

        start = end = None
        if when_col is not None:
            start, end, _ = _date_cell(cell(when_col), year)
            end = end or start
        else:
            start, s_end, start_given = _date_cell(cell(start_col), year)
            end, _, end_given = _date_cell(cell(end_col), start.year if start and start_given else year)
            if end is None and s_end is not None:
                end = s_end
            if start and end and not end_given and end < start and end.month < start.month:
                end = end.replace(year=end.year + 1)
        name = re.sub(r"[*_`]", "", cell(name_col)).strip()
        if not name or (start is None and end is None):
            continue
        phases.append(Phase(name=name, start=start, end=end, work=cell(work_col).strip(), line=line_no))
    return phases


_LIST_PHASE = re.compile(r"^(?P<name>[^\d:：|]{1,20}?)\s*[:：(（]?\s*$")


def _phases_from_list(lines: list[str], lo: int, hi: int, year: int | None) -> list[Phase]:
    """Phases written as list lines in the timeline chapter: 「1. 预热期(10月20日-10月31日):…」."""
    phases: list[Phase] = []
    for i in range(lo, hi):
        raw = lines[i]
        if "|" in raw:
            continue
        text = normalize_number_text(_BULLET.sub("", raw).strip().strip("*"), simplified=False)
        found = find_dates(text, year, dots=True)
        if not found or found[0].end is None:
            continue
        prefix = text[: found[0].pos]
        name = re.sub(r"[*_`\s]+", "", prefix).rstrip(":：(（,，、-—").strip()
        if not name or len(name) > 20 or re.search(r"[。；;]", name):
            continue
        work = text[found[0].endpos :].lstrip(")）:：,，、 ").strip()
        phases.append(Phase(name=name, start=found[0].start, end=found[0].end, work=work, line=i + 1))
    return phases


def _headings(lines: list[str]) -> list[_Heading]:
    out: list[_Heading] = []
    in_fence = False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or "|" in line:
            continue
        m = _MD_HEADING.match(line)
        if m:
            out.append(_Heading(i, len(m.group(1)), m.group(2).strip().strip("*").strip()))
            continue
        for level, regex in ((7, _TOP_NUMBERED), (8, _ARABIC_NUMBERED), (9, _BRACKET_NUMBERED), (10, _BOLD_LINE)):
            nm = regex.match(line)
            if not nm:
                continue
            text = line.strip().strip("*").strip()
            inline = ""
            colon = re.search(r"[:：]", nm.group("text"))
            if colon:
                head = nm.group("text")[: colon.start()].strip()
                inline = nm.group("text")[colon.end() :].strip()
                text = text[: len(text) - len(nm.group("text"))] + head if text.endswith(nm.group("text")) else head
                if not head or len(head) > 20:
                    break
            elif len(nm.group("text")) > 30 or _SENTENCE_END.search(nm.group("text")):
                break
            out.append(_Heading(i, level, text, inline))
            break
    return out


def _chapter_headings(heads: list[_Heading], template: Template) -> tuple[_Heading | None, list[_Heading]]:
    """(title heading or None, chapter headings) chosen from every heading-like line."""
    md = [h for h in heads if h.level <= 6]
    title: _Heading | None = None
    first_text = min((h.index for h in heads), default=-1)
    if md:
        first = md[0]
        rest = md[1:]
        alone = rest and all(h.level > first.level for h in rest)
        numbered_rest = rest and all(strip_numbering(h.text) != h.text for h in rest)
        later = [h for h in heads if h.level > 6 and h.index > first.index]
        if not rest:
            # One '#' line: the title of a plan whose chapters are numbered lines, unless it names a chapter.
            if later or template.match(first.text) is None:
                title, md = first, []
        elif alone or (first.level == 1 and strip_numbering(first.text) == first.text and numbered_rest
                       and template.match(first.text) is None):
            title, md = first, rest
    if md:
        top = min(h.level for h in md)
        return title, [h for h in md if h.level == top]
    numbered = [h for h in heads if h.level == 7 and (title is None or h.index > title.index)]
    if numbered:
        return title, numbered
    # Weaker signs of a heading count only when several of them name template chapters.
    for level in (8, 9, 10):
        found = [h for h in heads if h.level == level and (title is None or h.index > title.index)]
        if sum(1 for h in found if template.match(h.text) is not None) >= 2:
            if title is None and template.match(found[0].text) is None and found[0].index == first_text:
                return found[0], found[1:]  # 「**中秋方案**」 on the first line is the title
            return title, found
    return title, []


def _citations(lines: list[str], lo: int, hi: int) -> list[Citation]:
    out: list[Citation] = []
    for i in range(lo, hi):
        m = re.match(r"^\s*(?:[-*]\s*)?\[(\d{1,3})\]\s*(?P<rest>.+)$", lines[i]) or re.match(
            r"^\s*(\d{1,3})[.、]\s*(?P<rest>.+)$", lines[i])
        if not m:
            continue
        rest = m.group("rest").strip()
        title, doc, section = rest, "", ""
        parts = re.split(r"\s+[—–-]{1,2}\s+", rest, maxsplit=1)
        if len(parts) == 2:
            title, where = parts
            doc, _, section = where.partition("§")
        out.append(Citation(n=int(m.group(1)), text=rest, doc=doc.strip(), section=section.strip(),
                            title=title.strip()))
    return out


def parse_plan(text: str, template: Template | None = None) -> Plan:
    """The Plan written in Markdown ``text``: title, chapters (with template keys), budget lines and
    total, timeline phases, citations and the plan's script, with 1-based line numbers.

    Raises PlanFormatError when the text is empty, binary, or has no chapters."""
    text = _check_text(text)
    template = template or load_template("promotion", copy=False)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    heads = _headings(lines)
    title_head, chapter_heads = _chapter_headings(heads, template)
    if not chapter_heads:
        raise PlanFormatError(
            "no chapters found in the plan: start each chapter with a heading such as "
            "'## 一、活动背景与目标' or a line such as '一、活动背景'"
        )
    first_index = chapter_heads[0].index
    if title_head is not None:
        title = strip_markup(title_head.text)
    else:
        title = next((strip_markup(ln) for ln in lines[:first_index]
                      if ln.strip() and "|" not in ln and len(ln.strip()) <= 60), "")
    script: ScriptName = writing_script(text)
    year = infer_year(text)

    chapters: list[Chapter] = []
    citations: list[Citation] = []
    spans: dict[str, tuple[int, int]] = {}
    bounds = [h.index for h in chapter_heads] + [len(lines)]
    for k, head in enumerate(chapter_heads):
        lo, hi = head.index + 1, bounds[k + 1]
        name = strip_numbering(head.text)
        if _REFERENCES.match(re.sub(r"\s+", "", to_simplified(name))):
            citations.extend(_citations(lines, lo, hi))
            continue
        body_lines = ([head.inline] if head.inline else []) + lines[lo:hi]
        supported = True
        if any(UNSUPPORTED_MARK in ln for ln in body_lines):
            supported = False
            notes = set(_WORDS["unsupported"].values())
            # Blanked rather than removed, so body lines keep their line numbers.
            body_lines = ["" if UNSUPPORTED_MARK in ln or ln.strip() in notes else ln for ln in body_lines]
        first_line = head.index + 1 if head.inline else head.index + 2
        while body_lines and not body_lines[0].strip():
            body_lines.pop(0)
            first_line += 1
        body = "\n".join(body_lines).rstrip()
        if supported and _UNSUPPORTED_PHRASE.search(to_simplified(body)):
            supported = False
        matched = template.match(head.text)
        numbers = sorted({int(n) for n in _CITATION_MARK.findall(body)})
        chapters.append(Chapter(title=strip_markup(head.text), body=body, key=matched.key if matched else None,
                                line=head.index + 1, body_line=first_line, citations=numbers,
                                supported=supported))
        if matched and matched.key not in spans:
            spans[matched.key] = (lo, hi)

    budget_lines, budget_total = _find_budget(lines, spans, first_index)
    phases = _find_phases(lines, spans, year, first_index)
    kpis: list[str] = []
    if "evaluation" in spans:
        lo, hi = spans["evaluation"]
        kpis = [_BULLET.sub("", ln).strip() for ln in lines[lo:hi] if re.match(r"^\s*[-*•]\s+\S", ln)]
    return Plan(title=title, script=script, chapters=chapters, budget_lines=budget_lines,
                budget_total=budget_total, phases=phases, kpis=kpis, citations=citations)


def strip_markup(text: str) -> str:
    """A heading or title line without '#', emphasis marks and surrounding spaces."""
    return re.sub(r"^#+\s*", "", text.strip()).strip("*_ ").strip()


def _find_budget(lines: list[str], spans: dict[str, tuple[int, int]],
                 first: int) -> tuple[list[BudgetLine], float | None]:
    if "budget" in spans:
        lo, hi = spans["budget"]
        for table in _tables(lines, lo, hi):
            if _is_budget_table(table):
                found = _budget_from_table(table)
                if found[0] or found[1] is not None:
                    return found
        listed = _budget_from_list(lines, lo, hi)
        if listed[0]:
            return listed
    for table in _tables(lines, first):
        if _is_budget_table(table) and not _phases_from_table(table, None):
            found = _budget_from_table(table)
            if found[0]:
                return found
    return [], None


def _find_phases(lines: list[str], spans: dict[str, tuple[int, int]], year: int | None,
                 first: int) -> list[Phase]:
    if "timeline" in spans:
        lo, hi = spans["timeline"]
        for table in _tables(lines, lo, hi):
            phases = _phases_from_table(table, year)
            if phases:
                return phases
        listed = _phases_from_list(lines, lo, hi, year)
        if listed:
            return listed
    for table in _tables(lines, first):
        if _is_budget_table(table):
            continue
        phases = _phases_from_table(table, year)
        if len(phases) >= 2:
            return phases
    return []


# ---------------------------------------------------------------------------------------------- rendering

_WORDS = {
    "item": {"zh-Hans": "项目", "zh-Hant": "項目", "en": "Item"},
    "amount": {"zh-Hans": "金额(元)", "zh-Hant": "金額(元)", "en": "Amount (CNY)"},
    "share": {"zh-Hans": "占比", "zh-Hant": "佔比", "en": "Share"},
    "note": {"zh-Hans": "说明", "zh-Hant": "說明", "en": "Note"},
    "total": {"zh-Hans": "合计", "zh-Hant": "合計", "en": "Total"},
    "phase": {"zh-Hans": "阶段", "zh-Hant": "階段", "en": "Phase"},
    "start": {"zh-Hans": "开始", "zh-Hant": "開始", "en": "Start"},
    "end": {"zh-Hans": "结束", "zh-Hant": "結束", "en": "End"},
    "work": {"zh-Hans": "工作内容", "zh-Hant": "工作內容", "en": "Work"},
    "budget": {"zh-Hans": "费用预算", "zh-Hant": "費用預算", "en": "Budget"},
    "timeline": {"zh-Hans": "时间与进度安排", "zh-Hant": "時間與進度安排", "en": "Timeline"},
    "references": {"zh-Hans": "参考资料", "zh-Hant": "參考資料", "en": "References"},
    "unsupported": {"zh-Hans": "(本章在指南中没有找到依据,请人工核实。)",
                    "zh-Hant": "(本章在指南中沒有找到依據,請人工核實。)",
                    "en": "(This chapter is not supported by the guidebooks; check it by hand.)"},
}


def _word(key: str, script: str) -> str:
    return _WORDS[key].get(script, _WORDS[key]["zh-Hans"])


def _money(amount: float) -> str:
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def budget_table(plan: Plan) -> str:
    """The plan's budget lines as a Markdown table in 元 with a total row (in the plan's script)."""
    s = plan.script
    has_share = any(bl.share is not None for bl in plan.budget_lines)
    head = [_word("item", s), _word("amount", s)] + ([_word("share", s)] if has_share else []) + [_word("note", s)]
    rows = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for bl in plan.budget_lines:
        cells = [_cell(bl.item), _money(bl.amount)]
        if has_share:
            cells.append(f"{bl.share:g}%" if bl.share is not None else "")
        cells.append(_cell(bl.note))
        rows.append("| " + " | ".join(cells) + " |")
    total = plan.budget_total if plan.budget_total is not None else sum(bl.amount for bl in plan.budget_lines)
    tail = [_word("total", s), _money(total)] + (["100%"] if has_share else []) + [""]
    rows.append("| " + " | ".join(tail) + " |")
    return "\n".join(rows)


def timeline_table(plan: Plan) -> str:
    """The plan's phases as a Markdown table with ISO dates (in the plan's script)."""
    s = plan.script
    rows = [f"| {_word('phase', s)} | {_word('start', s)} | {_word('end', s)} | {_word('work', s)} |",
            "| --- | --- | --- | --- |"]
    for ph in plan.phases:
        rows.append(f"| {_cell(ph.name)} | {ph.start.isoformat() if ph.start else ''} | "
                    f"{ph.end.isoformat() if ph.end else ''} | {_cell(ph.work)} |")
    return "\n".join(rows)


def _has_table(body: str) -> bool:
    lines = body.split("\n")
    return any(_TABLE_SEP.match(lines[i + 1]) and "|" in lines[i] for i in range(len(lines) - 1))


def render_plan(plan: Plan) -> str:
    """Markdown for ``plan`` that ``parse_plan`` reads back: '# title', one '## ' heading per chapter,
    the budget and timeline tables where the chapter body has none, and a references chapter."""
    s = plan.script
    out: list[str] = []
    if plan.title:
        out += [f"# {plan.title}", ""]
    keys = {c.key for c in plan.chapters}
    for chapter in plan.chapters:
        out.append(f"## {chapter.title}")
        if not chapter.supported:
            out.append(UNSUPPORTED_MARK)
        body = chapter.body.strip("\n")
        if chapter.key == "budget" and plan.budget_lines and not _has_table(body):
            body = (body + "\n\n" if body else "") + budget_table(plan)
        if chapter.key == "timeline" and plan.phases and not _has_table(body):
            body = (body + "\n\n" if body else "") + timeline_table(plan)
        if not chapter.supported and not _UNSUPPORTED_PHRASE.search(to_simplified(body)):
            body = (body + "\n\n" if body else "") + _word("unsupported", s)
        out += ([body, ""] if body else [""])
    if plan.budget_lines and "budget" not in keys:
        out += [f"## {_word('budget', s)}", budget_table(plan), ""]
    if plan.phases and "timeline" not in keys:
        out += [f"## {_word('timeline', s)}", timeline_table(plan), ""]
    if plan.citations:
        out.append(f"## {_word('references', s)}")
        for c in sorted(plan.citations, key=lambda c: c.n):
            where = c.doc + (f" § {c.section}" if c.section else "")
            label = c.title or c.section or c.doc
            out.append(f"[{c.n}] {label} — {where}" if where else f"[{c.n}] {label}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


__all__ = ["UNSUPPORTED_MARK", "budget_table", "parse_plan", "render_plan", "strip_markup", "timeline_table"]
