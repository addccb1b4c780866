"""Cleaning scraped guidebook text: what remains is guidebook content, mapped back to source offsets.

Every rule removes spans of the source; nothing is rewritten in place, so each character of the
cleaned text knows where it came from (``CleanedText.offsets``) and citations can point at the
exact place in the original file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from core.text.scripts import to_simplified

_HAN_CLASS = "\u3400-\u9fff\uf900-\ufaff"
_HAN = re.compile(f"[{_HAN_CLASS}]")

# Pinyin annotation after a character: 環(huán), 據(jù). A syllable: optional initial, vowels with tones, final.
_PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ"
_PINYIN = re.compile(
    f"(?<=[{_HAN_CLASS}])\\((?:[bpmfdtnlgkhjqxzcsryw]|zh|ch|sh)?[aeiouüvāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]"
    f"[{_PINYIN_LETTERS}]{{0,4}}\\)"
)

# Whole lines that are site furniture, matched on the Simplified form of the stripped line.
_BOILERPLATE_LINES = [
    re.compile(p)
    for p in (
        r"^(版权说明|版权声明|免责声明)[:：]",
        r"^文档简介$",
        r"^下载本文档$",
        r"^已阅读\d+页",
        r"^.{0,120}_第\d+页$",
        r"^第\d+页(,?共\d+页)?$",
        r"^评论$",
        r"^提交评论$",
        r"^\d+/\d+$",
        r"^当前位置[:：]",
        r"阅读\s*[(（]\s*[\d.]+\s*[wW万千kK]?\s*[)）]$",
        r"本站小编",
        r"^(上一篇|下一篇|相关推荐|相关文章|猜你喜欢|热门推荐)[:：]?",
        r"^(点击|扫码)?(下载|收藏|分享|举报|打印)(本文|此文|文档)?$",
    )
]
# Blocks that start with a marker line and continue over list items (bullets, dashes, numbers).
_BLOCK_STARTS = re.compile(r"^(温馨提示|最新文档|相关文档|相关资料|推荐文档)[:：]?$")
_BLOCK_ITEM = re.compile(r"^(\s*$|[-•·*]\s|\d+[.、]\s|[-•·*](?=\S))")

_TOC_MARKER = re.compile(r'TOC\\o"[^"]*"(?:\\[a-zA-Z])*\d*')
_PAGE_GLUE = re.compile(r"第\d+页")
# In a TOC line, each entry ends with a space and its page number (often glued to an anchor number).
_TOC_PAGE = re.compile(r" (\d+(?:\.\d+)*)")
# A TOC laid out one entry per line: "第一章 活动策划 ........ 4".
_TOC_LINE = re.compile(r"^\s*(\S.{0,50}?)\s*(?:[.·…]{2,}|\s)\s*\d{1,4}\s*$")

_QUESTION_GLYPHS = "?\ufffd"
_ODD = re.compile(f"[_^\\\\|a-zA-Z{_PINYIN_LETTERS}()]")


@dataclass
class CleanedText:
    """Cleaned text, where each character came from in the source, and what was removed."""

    text: str
    simplified: str  # ``text`` in Simplified script, same length and indices
    offsets: np.ndarray  # offsets[i] is the source index of text[i]; one extra entry for the end
    title: str = ""
    toc_titles: list[str] = field(default_factory=list)
    garbled_runs: int = 0
    removed: dict[str, int] = field(default_factory=dict)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source offsets of the cleaned span ``[start, end)``."""
        if end <= start:
            return int(self.offsets[start]), int(self.offsets[start])
        return int(self.offsets[start]), int(self.offsets[end - 1]) + 1


def simplified_same_length(text: str) -> str:
    """``text`` in Simplified script with every character at the same index (for matching rules)."""
    out = []
    for line in text.split("\n"):
        simp = to_simplified(line)
        if len(simp) != len(line):
            simp = "".join(to_simplified(ch)[:1] or ch for ch in line)
        out.append(simp)
    return "\n".join(out)


def clean_text(source: str, fallback_title: str = "") -> CleanedText:
    """The guidebook content of ``source`` with site boilerplate, pinyin, TOC and garbled runs removed."""
    removed: dict[str, int] = {}
    offsets = np.arange(len(source) + 1, dtype=np.int32 if len(source) < 2**31 - 1 else np.int64)
    simp = simplified_same_length(source)

    drops = _boilerplate_spans(simp, removed)
    drops += _counted(removed, "pinyin", [m.span() for m in _PINYIN.finditer(simp)])
    text, simp, offsets = _apply(source, simp, offsets, drops)

    title, toc_titles, toc_spans = _find_toc(simp, fallback_title)
    drops = _counted(removed, "toc", toc_spans)
    garbled = _garbled_spans(simp)
    drops += _counted(removed, "garbled", garbled)
    text, simp, offsets = _apply(text, simp, offsets, drops)
    return CleanedText(
        text=text, simplified=simp, offsets=offsets, title=title, toc_titles=toc_titles,
        garbled_runs=len(garbled), removed=removed,
    )


def _counted(removed: dict[str, int], kind: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if spans:
        removed[kind] = removed.get(kind, 0) + len(spans)
    return spans


def _apply(
    text: str, simp: str, offsets: np.ndarray, drops: list[tuple[int, int]]
) -> tuple[str, str, np.ndarray]:
    """``text`` (and its Simplified twin and offsets) without the ``drops`` spans."""
    if not drops:
        return text, simp, offsets
    keep = np.ones(len(text) + 1, dtype=bool)
    for start, end in drops:
        keep[start:end] = False
    keep[len(text)] = True
    # Runs of kept characters, joined as slices (a character array would cost ~60 bytes per character).
    edges = np.flatnonzero(np.diff(np.concatenate(([False], keep[:-1], [False])).astype(np.int8)))
    runs = edges.reshape(-1, 2).tolist()
    new_text = "".join(text[a:b] for a, b in runs)
    new_simp = "".join(simp[a:b] for a, b in runs)
    return new_text, new_simp, offsets[np.flatnonzero(keep)]


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _boilerplate_spans(simp: str, removed: dict[str, int]) -> list[tuple[int, int]]:
    """Spans of whole boilerplate lines and blocks (温馨提示, 最新文档 lists), newline included."""
    spans: list[tuple[int, int]] = []
    in_block = False
    for start, end, line in _lines(simp):
        stripped = _PINYIN.sub("", line).strip()
        if in_block:
            if _BLOCK_ITEM.match(stripped) or stripped in ("评论", "提交评论") or re.fullmatch(r"\d+/\d+", stripped):
                spans.append((start, end + 1))
                continue
            in_block = False
        if _BLOCK_STARTS.match(stripped):
            in_block = True
            spans.append((start, end + 1))
            removed["boilerplate"] = removed.get("boilerplate", 0) + 1
        elif stripped and any(p.search(stripped) for p in _BOILERPLATE_LINES):
            spans.append((start, end + 1))
            removed["boilerplate"] = removed.get("boilerplate", 0) + 1
    return [(s, min(e, len(simp))) for s, e in spans]


def _find_toc(simp: str, fallback_title: str) -> tuple[str, list[str], list[tuple[int, int]]]:
    """The document title, the TOC entry titles and the spans the TOC occupies."""
    titles: list[str] = []
    spans: list[tuple[int, int]] = []
    doc_title = ""
    lines = _lines(simp)
    for start, _end, line in lines:
        region = _toc_region(line)
        if region is None:
            continue
        toc_start, toc_end, head, entries = region
        if not doc_title:
            doc_title = _title_from_head(head)
        titles.extend(entries)
        spans.append((start + toc_start, start + toc_end))
    spans.extend(_line_toc_spans(lines, titles))
    if not doc_title:
        doc_title = _first_line_title(simp) or fallback_title
    titles = [t for t in titles if t and t != doc_title]
    return doc_title, titles, spans


def _toc_region(line: str) -> tuple[int, int, str, list[str]] | None:
    """For a line holding a TOC glued to page numbers: its span, the text before it and entry titles."""
    marker = _TOC_MARKER.search(line)
    pages = list(_TOC_PAGE.finditer(line))
    if len(pages) < 4 and marker is None:
        return None
    # Entries are short; the TOC ends at the last page number followed by an entry-sized segment.
    bounds = [m.span() for m in pages]
    entries: list[str] = []
    prev_end = marker.end() if marker else 0
    if marker is None:
        # No marker: the TOC starts at the first entry; the line head may hold the document title.
        prev_end = 0
    last_end = None
    for i, (s, e) in enumerate(bounds):
        segment = line[prev_end:s]
        if i > 0 and len(segment) > 60:
            break
        entries.append(segment)
        last_end = e
        prev_end = e
    if last_end is None or len(entries) < 3:
        return None
    head = line[: marker.start()] if marker else entries[0]
    toc_start = marker.start() if marker else 0
    titles = [_entry_title(seg) for seg in (entries if marker else entries[1:])]
    if marker is None:
        # The first segment is "title第1页title" or "title": its last part is a heading too.
        first = _PAGE_GLUE.split(entries[0])[-1]
        titles.insert(0, _entry_title(first))
    # The last page number is glued to the body that follows: keep at most 3 page digits.
    last_page = line[bounds[len(entries) - 1][0] + 1 : last_end]
    digits = re.match(r"\d+", last_page)
    if digits and len(digits.group()) > 3 and last_end < len(line):
        last_end = bounds[len(entries) - 1][0] + 1 + 3
    return toc_start, last_end, head, [t for t in titles if t]


def _entry_title(segment: str) -> str:
    return re.sub(r"^[\d.\s]+", "", segment).strip(" :：")


def _title_from_head(head: str) -> str:
    head = _PAGE_GLUE.split(head)[0].strip()
    return head if 2 <= len(head) <= 80 else ""


def _first_line_title(simp: str) -> str:
    for line in simp.split("\n"):
        stripped = line.strip().lstrip("#").strip()
        if stripped:
            stripped = _PAGE_GLUE.split(stripped)[0]
            return stripped if len(stripped) <= 60 else ""
    return ""


def _line_toc_spans(lines: list[tuple[int, int, str]], titles: list[str]) -> list[tuple[int, int]]:
    """Spans of TOCs laid out one entry per line (three or more consecutive entry lines)."""
    spans: list[tuple[int, int]] = []
    run: list[tuple[int, int, str]] = []

    def flush() -> None:
        if len(run) >= 3:
            spans.append((run[0][0], min(run[-1][1] + 1, lines[-1][1])))
            for _, _, entry in run:
                titles.append(_entry_title(_TOC_LINE.match(entry).group(1)))  # type: ignore[union-attr]
        run.clear()

    for item in lines:
        line = item[2]
        if len(line.strip()) <= 60 and _TOC_LINE.match(line) and _HAN.search(line):
            run.append(item)
        elif line.strip() == "" and run:
            continue
        else:
            flush()
    flush()
    return spans


def is_rare_han(ch: str) -> bool:
    """True for a Han character outside GB2312 level 1 (the 3755 common characters): mojibake is full of them."""
    if not _HAN.match(ch):
        return False
    try:
        encoded = ch.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return not 0xB0 <= encoded[0] <= 0xD7


def _garbled_spans(simp: str) -> list[tuple[int, int]]:
    """Spans of mojibake: a '?' or U+FFFD inside Han text followed by rare characters or stray ASCII."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(f"(?<=[{_HAN_CLASS}])[{_QUESTION_GLYPHS}]", simp):
        start = m.start()
        window_end = start + 1
        pos = start + 1
        misses = 0
        suspicious = 0
        while pos < len(simp) and misses < 4:
            ch = simp[pos]
            if ch == "\n":
                break
            if is_rare_han(ch) or _ODD.match(ch) or (pos == start + 1 and ch in "。，、：；"):
                suspicious += 1
                window_end = pos + 1
                misses = 0
            else:
                misses += 1
            pos += 1
        doubled = start + 1 < len(simp) and simp[start + 1] in _QUESTION_GLYPHS
        if doubled:
            window_end = max(window_end, start + 2)
        if simp[start] == "\ufffd" or doubled or suspicious >= 2:
            spans.append((start, window_end))
    return spans
