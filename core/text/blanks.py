"""Blanks a template leaves to fill: 20__年 / 8月_日 / __影城 / xx路 / 某某 / 上海**汽车 / 待定 / TBD.

Read by the plan validator (a blank still to fill is an error) and by the offline answer (a quote from a
guidebook's sample plan holding 「20__年」 says the blanks are the reader's to fill: such quotes usually answer
questions about the samples, so they are kept, not ranked lower)."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff]")
_DATE_UNIT = "年月日号號时時点點"
_MASKS = re.compile(r"(?<![A-Za-z])(?:[xX]{2,}|ｘｘ+|Ｘ{2,}|×{2,}|○{2,}|某某)(?![A-Za-z])")
_TO_DECIDE = re.compile(r"待定|待確定|待确定|待補充|待补充|待填寫|待填写|(?<![A-Za-z])(?:TBD|TBC|TBA)(?![A-Za-z])|"
                        r"to be (?:decided|determined|confirmed|announced)", re.IGNORECASE)
_LONE_STARS = re.compile(r"(?<=[\u3400-\u9fff])\*\*(?=[\u3400-\u9fff])")


def _blank(line: str, start: int, end: int) -> bool:
    """Whether the underscores line[start:end] stand for something to fill in (not a_b, 6m_2m, 1250p_)."""
    left = line[start - 1] if start > 0 else ""
    right = line[end] if end < len(line) else ""
    if (left.isascii() and left.isalpha()) or (right.isascii() and right.isalpha()):
        return False
    if end - start >= 2:
        return not (left.isascii() and left.isalnum() and right.isascii() and right.isalnum())
    if left in _DATE_UNIT or right in _DATE_UNIT:
        return True
    # A lone _ is a blank where a name starts or ends (「_广场」「来_,」), not inside a run of Chinese.
    left_open = not left or not (_CJK.match(left) or left.isalnum())
    right_open = not right or not (_CJK.match(right) or right.isalnum())
    return bool((left_open and _CJK.match(right)) or (right_open and _CJK.match(left)))


def _emphasis(line: str, runs: list[re.Match[str]]) -> set[int]:
    """Starts of underscore runs that are Markdown emphasis (「_注意_」「__重点__」 around Chinese words)."""
    marks: set[int] = set()
    for opening, closing in zip(runs, runs[1:], strict=False):
        inner = line[opening.end():closing.start()]
        before = line[opening.start() - 1] if opening.start() else " "
        after = line[closing.end()] if closing.end() < len(line) else " "
        if (len(opening.group()) == len(closing.group()) <= 2 and inner and inner == inner.strip()
                and _CJK.search(inner) and not _CJK.match(before) and not before.isalnum()
                and not _CJK.match(after) and not after.isalnum()):
            marks |= {opening.start(), closing.start()}
    return marks


def blank_spans(line: str) -> list[tuple[int, int]]:
    """Where the blanks of one line are, in order; blanks two characters apart read as one (「20__年_月_日」)."""
    spans: list[tuple[int, int]] = []
    runs = list(re.finditer(r"_+", line))
    emphasis = _emphasis(line, runs)
    for m in runs:
        if m.start() not in emphasis and _blank(line, m.start(), m.end()):
            spans.append((m.start(), m.end()))
    for regex in (_MASKS, _TO_DECIDE):
        spans += [(m.start(), m.end()) for m in regex.finditer(line)]
    if line.count("**") % 2 == 1:
        spans += [(m.start(), m.end()) for m in _LONE_STARS.finditer(line)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 2:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def blanks_in(line: str) -> list[str]:
    """The blanks on one line, in order (「20__」「8月_日」「xx」「待定」…), with a little context."""
    out: list[str] = []
    for start, end in blank_spans(line):
        lo, hi = max(0, start - 2), min(len(line), end + 2)
        snippet = line[lo:hi].strip()
        if snippet and snippet not in out:
            out.append(snippet)
    return out


def blanks_as_written(text: str) -> list[str]:
    """The blanks of ``text``, each with the digits and date unit that belong to it (「20__年」「8月_日」), once each,
    in order: what a reader is told to fill in."""
    out: list[str] = []
    for line in text.splitlines():
        for start, end in blank_spans(line):
            while start > 0 and (line[start - 1].isdigit() or line[start - 1] in _DATE_UNIT):
                start -= 1
            while end < len(line) and (line[end].isdigit() or line[end] in _DATE_UNIT):
                end += 1
            if line[start:end] not in out:
                out.append(line[start:end])
    return out


__all__ = ["blank_spans", "blanks_as_written", "blanks_in"]
