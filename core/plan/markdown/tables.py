"""Budget and timeline facts from a plan's Markdown: pipe tables (amounts in 元/万元/萬, shares, a 合计
row; phases with dates in several formats) and, where there is no table, list lines."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from core.errors import BriefError
from core.plan.markdown.blocks import Blocks
from core.plan.model import BudgetLine, Phase
from core.text.amounts import CURRENCY_MARKS, CURRENCY_WORDS, currency_in, normalize_number_text, parse_amount
from core.text.dates import DateMention, find_dates, years_later
from core.text.numerals import NUMERAL_CHARS
from core.text.scripts import to_simplified
from core.text.segment import tagged

TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_ITEM_FIRST = re.compile(r"项目|明细|名称|费用项|item|line item", re.I)
_ITEM_HEAD = re.compile(r"项目|科目|类别|类目|明细|名称|用途|内容|费用项|item|category|line|purpose", re.I)
# ISO 4217 codes of the currencies plans are written in beyond CURRENCY_WORDS' four (a header cell that is one of
# them, alone, is an amount column; 'End' of a Start | End table is none).
_ISO_CURRENCIES = "usd|aud|cad|sgd|nzd|hkd|twd|mop|myr|thb|php|idr|vnd|inr|jpy|krw|gbp|eur|chf"
# A header naming what the column holds (金额, Cost), or only the currency it is in: 「£」「S$」「RM」「AUD」「港币」.
_AMOUNT_HEAD = re.compile(r"金额|费用|预算|投入|花费|支出|成本|总价|总额|小计|合计|amount|cost|budget|spend|cny|rmb|元"
                          r"|^[(（]?\s*(?:[a-z]{0,3}\s?[$£€¥￥]|" + _ISO_CURRENCIES + "|rm|"
                          + "|".join(CURRENCY_WORDS.values()) + r")\s*[)）]?$", re.I)
_NOT_AMOUNT_HEAD = re.compile(r"单价|占比|比例|比重|share|percent|%|unit price|数量|qty|quantity", re.I)
_SHARE_HEAD = re.compile(r"占比|比例|比重|百分比|share|percent|%|ratio", re.I)
_NOTE_HEAD = re.compile(r"备注|说明|note|remark|明细说明|依据", re.I)
_TOTAL_ROW = re.compile(r"^(?:合计|总计|总额|总预算|预算总额|总费用|费用合计|共计|总和|total|grand total|sum)\b", re.I)
_SUBTOTAL_ROW = re.compile(r"小计|subtotal|sub-total", re.I)
# A currency may come before the unit: 「(RMB k)」, 「（港幣萬元）」, 「(人民币万元)」.
_UNIT_IN_HEAD = re.compile(r"(?:[（(]|/|单位[:：]?)\s*(?:单位[:：]?\s*)?(?:(?:" + "|".join(CURRENCY_WORDS.values()) + r")\s*)?"
                           r"(?P<u>亿元|亿|万元|万|千元|k|thousand|w|元|rmb|cny|¥)\s*[)）]?", re.I)
_UNIT_LINE = re.compile(r"单位\s*[:：]\s*(?P<u>亿元|亿|万元|万|千元|元)")
_UNIT_SCALE = {"亿元": 1e8, "亿": 1e8, "万元": 1e4, "万": 1e4, "w": 1e4, "千元": 1e3, "k": 1e3, "thousand": 1e3, "元": 1.0,
               "rmb": 1.0, "cny": 1.0, "¥": 1.0}

_PHASE_HEAD = re.compile(r"阶段|环节|时期|步骤|节点|名称|phase|stage|step|period name|milestone", re.I)
_START_HEAD = re.compile(r"开始|起始|start|from|begin", re.I)
_END_HEAD = re.compile(r"结束|截止|完成|end|until|to$|finish", re.I)
_WHEN_HEAD = re.compile(r"时间|日期|周期|时段|起止|date|time|when|period|dates", re.I)
_WORK_HEAD = re.compile(r"工作|内容|任务|事项|活动|重点|work|task|activit|action|deliverable", re.I)
BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.、)）]|[（(]?[一二三四五六七八九十]{1,2}[)）、])\s*")


@dataclass
class _Table:
    line: int  # 1-based line of the header row
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    before: str = ""  # the two lines above the table, where 「单位:万元」 is written



def _split_cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", body)]


def _tables(blocks: Blocks, lo: int = 0, hi: int | None = None) -> list[_Table]:
    """Pipe tables whose header row is in lines[lo:hi], with the lines above them where a unit is written."""
    lines = blocks.lines
    hi = len(lines) if hi is None else hi
    out: list[_Table] = []
    for found in blocks.tables_in(lo, hi):
        i = found.header
        table = _Table(line=i + 1, header=_split_cells(lines[i]), before="\n".join(lines[max(lo, i - 2) : i]))
        table.rows = [(j + 1, _split_cells(lines[j])) for j in found.rows]
        if found.end < hi and _UNIT_LINE.search(lines[found.end]):
            table.before += "\n" + lines[found.end]
        out.append(table)
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


# A list line's item and amount: 「- 物料:8万元(占比27%)」「1. 抖音投放 8万元」「1. 站内投放30万元」「(2) 达人:五万元」「3. Paid social – RMB 80,000」
# 「合計:新台幣 55 萬元」; the amount ends the line, but for its share, a bracketed note or a full stop.
_LIST_AMOUNT = re.compile(
    rf"^(?P<item>[^:：|]{{1,30}}?)\s*(?:[:：]|\s[-–—]\s|(?<=[^\d\s])\s+(?=(?:{CURRENCY_MARKS}|\d))|(?<=[\u4e00-\u9fff])(?=\d))\s*"
    rf"(?P<amt>(?:(?:{CURRENCY_MARKS})\s*)?(?:\d[\d,]*(?:\.\d+)?|[{NUMERAL_CHARS}]+)"
    r"\s*(?:亿元|亿|万元|万|千元|元|million|[wkm](?![a-z]))?\s*"
    rf"(?:元|{'|'.join(CURRENCY_WORDS.values())})?)"
    r"\s*(?:[(（,，]\s*(?:占比|佔比|比例|约)?\s*(?P<share>\d+(?:\.\d+)?)\s*%\s*[)）]?)?"
    r"\s*(?:[(（][^()（）]*[)）])?\s*[。.;；]?\s*$",
    re.I,
)
# 「(1)」「（2）」 numbering, which Markdown does not read as a list.
_PAREN_NUMBER = re.compile(r"^\s*[（(]\d{1,2}[)）]\s*")


def _budget_from_list(blocks: Blocks, lo: int, hi: int) -> tuple[list[BudgetLine], float | None]:
    """Budget lines written as a list in the budget chapter: the list items Markdown reads (「- 物料:8万元(占比27%)」,
    「1. 抖音投放 8万元」) and lines numbered 「（一）」「(1)」, each an item and its amount; a 合计/Total line is the total."""
    out: list[BudgetLine] = []
    total: float | None = None
    lines = blocks.lines
    for i in range(lo, hi):
        marked = i in blocks.list_items or BULLET.match(lines[i]) or _PAREN_NUMBER.match(lines[i])
        text = _PAREN_NUMBER.sub("", BULLET.sub("", lines[i])).strip()
        m = _LIST_AMOUNT.match(to_simplified(text).replace("**", ""))
        if not m or not marked and not _TOTAL_ROW.match(_plain(m.group("item"))):
            continue
        amount = _amount(re.sub(r"(?<=\d)\s+(?=\D)", "", m.group("amt")), 1.0)
        if amount is None or not re.search(r"[^\d.,\s]", m.group("amt")) and amount < 100:
            continue  # 「3. 达人 10位」 is no amount; a bare number must look like money
        item = text[: len(m.group("item"))].strip().strip("*").strip()
        if _TOTAL_ROW.match(_plain(item)):
            total = amount
            continue
        share = float(m.group("share")) if m.group("share") else None
        out.append(BudgetLine(item=item, amount=amount, share=share, line=i + 1))
    return out, total


# Where a sentence's split starts: 「总预算3万元，其中场地布置1万元、…」, 「…，包括…」, 「总预算3万元：…」.
_SPLIT_LEAD = re.compile(r"其中|包括|包含|分别为|分别是|具体为|具体是|具体如下|明细如下|明细为|分配如下|分配为|构成如下|"
                         r"如下|主要用于|用于")
_SPLIT_TOTAL = re.compile(r"预算|费用|经费|合计|总计|共计|总额|明细")
_SENTENCE_AMOUNT = (r"[¥￥]?\s*\d+(?:\.\d+)?\s*(?:亿元|亿|万元|万|千元|元|w|k)|"
                    r"[一二两三四五六七八九十百千]+\s*(?:万元|万|元)")
_SPLIT_ITEM = re.compile(r"(?P<item>[^\d\s:：,，、;；。()（）]{1,15}?)\s*[:：]?\s*(?:为|是|约)?\s*"
                         rf"(?P<amt>{_SENTENCE_AMOUNT})\s*(?:[(（][^()（）]*[)）])?", re.I)


# A clause stating one item's share of the total: 「宣传费用占比20%」「场地费占三成」「礼品占比最高约37.5%」.
_SHARE_REMARK = re.compile(r"[占佔].{0,8}?(?:\d+(?:\.\d+)?\s*%|[一二两三四五六七八九]成|一半)")


def _budget_from_sentences(lines: list[str], lo: int, hi: int) -> list[BudgetLine]:
    """Budget lines written as one sentence in the budget chapter: 「总预算3万元:场地布置1万元、食材1.2万元、
    宣传0.5万元。」 or 「…,其中…」. The split must be the whole rest of the sentence, every part an item and
    its amount, at least two of them: prose with amounts (「预计带来销售额30万元」) is not a split."""
    for i in range(lo, hi):
        raw = lines[i]
        if "|" in raw:
            continue
        text = BULLET.sub("", raw).strip()
        simp = to_simplified(text)
        start = 0
        lead = _SPLIT_LEAD.search(simp)
        if lead is not None:
            start = lead.end()
        else:
            colon = re.search(r"[:：]", simp)
            if colon is not None and _SPLIT_TOTAL.search(simp[: colon.start()]):
                start = colon.end()
            elif not re.search(r"[、;；]", simp):
                continue  # 「总预算3万元,预计带来销售额30万元,毛利9万元」: amounts side by side, not a split
        found: list[BudgetLine] = []
        parts = list(re.finditer(r"[^、,，;；。]+", simp[start:]))
        while parts and _SHARE_REMARK.search(parts[-1].group(0)) and not _SPLIT_ITEM.fullmatch(parts[-1].group(0).strip()):
            parts.pop()  # 「…、物料5万元,场地费占三成。」: a remark on the split's shares ends it
        for part in parts:
            piece = part.group(0).strip(" :：")
            if not piece:
                continue
            m = _SPLIT_ITEM.fullmatch(piece)
            if m is None:
                found = []
                break
            amount = _amount(m.group("amt"), 1.0)
            item = m.group("item")
            if amount is None:
                found = []
                break
            if _TOTAL_ROW.match(_plain(item)) or re.search(r"^总|合计$|共计$|总计$", item):
                continue  # 「总预算3万元，场地布置1万元、…」: the total leads the split
            at = start + part.start() + part.group(0).find(piece) + m.start("item")
            written = text[at: at + len(item)] if len(simp) == len(text) else item
            found.append(BudgetLine(item=written, amount=amount, line=i + 1))
        if len(found) >= 2:
            return found
    return []


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


def _phases_from_list(lines: list[str], lo: int, hi: int, year: int | None) -> list[Phase]:
    """Phases written as list lines in the timeline chapter: 「1. 预热期(10月20日-10月31日):…」."""
    phases: list[Phase] = []
    written: list[bool] = []
    for i in range(lo, hi):
        raw = lines[i]
        if "|" in raw:
            continue
        text = normalize_number_text(BULLET.sub("", raw).strip().strip("*"), simplified=False)
        found = find_dates(text, year, dots=True)
        if not found or found[0].end is None:
            continue
        for prefix, mention, work in _clauses(text, found):
            name = _phase_name(prefix)
            work = work.lstrip(")）:：,，、 ").strip()
            if not name:
                # 「10月20日-10月31日:预热期,种草与预约」: the name follows the dates.
                parts = re.split(r"[,，;；。]", work, maxsplit=1)
                name = _without_function_words(parts[0].strip().rstrip(":："))
                work = parts[1].strip() if len(parts) > 1 else ""
            if not name or len(name) > 20 or re.search(r"[。；;]", name):
                continue
            if re.search(r"(?:时间|日期|期间|周期|时段|档期)$", to_simplified(name)):
                continue  # 「活动时间:10月20日-11月11日」 states the whole period, it is not a phase
            phases.append(Phase(name=name, start=mention.start, end=mention.end, work=work, line=i + 1))
            written.append(mention.year_given)
    return in_sequence(phases, written)


_CLAUSE_END = re.compile(r"[,，;；。]")


def _clauses(text: str, found: list[DateMention]) -> list[tuple[str, DateMention, str]]:
    """(words before, the date range, words after) for each phase a line writes: one, its first range, for a list
    line (「预热期:10月20日-10月31日,种草」); one a clause for a sentence listing several ranges, each clause
    ending before the next range (「先在11/1-11/7做會員預熱，…；11/8-11/17正式開賣；接著11/15-11/24是回購期」: the
    phases of a timeline written in prose). A clause's phase is named by the words right after its dates when
    there are any (a sentence puts its connectives before them: 先在, 接著), else by those before."""
    ranges = [m for m in found if m.end is not None]
    if len(ranges) < 2 or found[0].end is None:
        return [(text[: found[0].pos], found[0], text[found[0].endpos:])]
    cuts: list[int] = []
    for before, after in zip(ranges, ranges[1:], strict=False):
        between = [m.end() for m in _CLAUSE_END.finditer(text, before.endpos, after.pos)]
        if not between:  # 「10月20日-10月31日（尾款11月1日-11月3日）」: one phase and a note
            return [(text[: found[0].pos], found[0], text[found[0].endpos:])]
        cuts.append(between[-1])
    out: list[tuple[str, DateMention, str]] = []
    for mention, start, end in zip(ranges, [0, *cuts], [*cuts, len(text)], strict=True):
        work = text[mention.endpos:end]
        named_after = _CLAUSE_END.split(work.lstrip(")）:：,，、 "), maxsplit=1)[0].strip(" .")
        prefix = "" if re.search(r"\w", named_after) else _without_function_words(re.split(r"[:：,，;；。]", text[start:mention.pos])[-1])
        out.append((prefix.rstrip(":："), mention, work))
    return out


# Words opening a clause that name no phase: adverbs, prepositions, conjunctions, particles and localisers by
# jieba's tags (先、在、接着、然后、最后), and the copula (是回购期).
_FUNCTION_TAGS = frozenset({"d", "p", "c", "u", "f"})
_COPULA = "是"


def _without_function_words(text: str) -> str:
    """``text`` without the function words opening it (「先在」「接着是」), by jieba's part-of-speech tags."""
    text = text.strip()
    start = 0
    for word, tag in tagged(to_simplified(text)):
        if tag[:1] not in _FUNCTION_TAGS and word != _COPULA:
            break
        start += len(word)
    return text[start:]


def _phase_name(prefix: str) -> str:
    """A list line's phase name as written before its dates: spaces kept between Latin words ('Sale period'), dropped
    around Chinese (「预 热 期」), emphasis marks and the trailing colon or bracket gone."""
    name = re.sub(r"[*_`]+", "", prefix)
    name = re.sub(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+", "", name)
    return " ".join(name.split()).rstrip(":：(（,，、-—").strip()


# A phase listed after another and starting this long before it is in the next year (12/10–12/31, then 1/4–1/24).
_YEAR_TURN_DAYS = 180


def in_sequence(phases: list[Phase], written: list[bool]) -> list[Phase]:
    """Phases as listed, each one whose year was not written moved into the next year while it starts half a year
    or more before the phase above it: a plan's list runs forward through the year's end."""
    out: list[Phase] = []
    for phase, given in zip(phases, written, strict=True):
        previous = out[-1].start if out else None
        if not given and previous is not None and phase.start is not None:
            while (previous - phase.start).days >= _YEAR_TURN_DAYS:
                end = years_later(phase.end, 1) if phase.end is not None else None
                phase = phase.model_copy(update={"start": years_later(phase.start, 1), "end": end})
        out.append(phase)
    return out



def find_budget(blocks: Blocks, spans: dict[str, tuple[int, int]],
                 first: int) -> tuple[list[BudgetLine], float | None]:
    """(budget lines, total row) from the budget chapter's table or list, else the first amount table
    after line index ``first``; ``spans`` maps chapter keys to their line ranges."""
    if "budget" in spans:
        lo, hi = spans["budget"]
        for table in _tables(blocks, lo, hi):
            if _is_budget_table(table):
                found = _budget_from_table(table)
                if found[0] or found[1] is not None:
                    return found
        listed = _budget_from_list(blocks, lo, hi)
        if listed[0]:
            return listed
        written = _budget_from_sentences(blocks.lines, lo, hi)
        if written:
            return written, None
    for table in _tables(blocks, first):
        if _is_budget_table(table) and not _phases_from_table(table, None):
            found = _budget_from_table(table)
            if found[0]:
                return found
    return [], None


def find_currency(blocks: Blocks, spans: dict[str, tuple[int, int]], first: int) -> str:
    """The ISO code of the currency the budget table's amount column names (金额(美元), Amount (TWD)), else CNY."""
    tables = _tables(blocks, *spans["budget"]) if "budget" in spans else []
    for table in [*tables, *_tables(blocks, first)]:
        if _is_budget_table(table):
            return currency_in(" ".join(table.header)) or "CNY"
    return "CNY"


def find_phases(blocks: Blocks, spans: dict[str, tuple[int, int]], year: int | None,
                 first: int) -> list[Phase]:
    if "timeline" in spans:
        lo, hi = spans["timeline"]
        for table in _tables(blocks, lo, hi):
            phases = _phases_from_table(table, year)
            if phases:
                return phases
        listed = _phases_from_list(blocks.lines, lo, hi, year)
        if listed:
            return listed
    for table in _tables(blocks, first):
        if _is_budget_table(table):
            continue
        phases = _phases_from_table(table, year)
        if len(phases) >= 2:
            return phases
    return []


__all__ = ["BULLET", "TABLE_SEP", "find_budget", "find_phases"]
