"""Briefs from YAML/JSON files and mappings, with every field checked and errors that name the fix."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from assistant.briefs.festivals import find_festival, next_festival
from core import clock
from core.errors import BriefError
from core.plan import Brief
from core.text.amounts import AMOUNT_EXAMPLE, parse_amount
from core.text.dates import DATE_EXAMPLE, infer_year, parse_date
from core.text.scripts import detect_script

MAX_BUDGET = 1e11
_FIELDS = tuple(Brief.model_fields)
_LIST_FIELDS = ("channels", "mechanics", "goals")
_TEXT_FIELDS = ("title", "brand", "product", "occasion", "audience", "region", "currency", "kind")
_SCRIPTS = ("zh-Hans", "zh-Hant", "en")


def _date_problem(text: str) -> str:
    """'there is no such day (February 2027 has 28 days); ' for 2027-02-30, else ''."""
    import calendar
    import re

    m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", text)
    if not m:
        return ""
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month}; "
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"there is no such day ({calendar.month_name[month]} {year} has {days} days); "
    return ""


def check_budget(value: float, source: str, raw: object) -> float:
    """``value`` when it is a plausible budget; BriefError naming the field otherwise."""
    if value <= 0:
        raise BriefError(f"budget '{raw}' in {source} must be more than 0: {AMOUNT_EXAMPLE}", field="budget")
    if value > MAX_BUDGET:
        raise BriefError(
            f"budget '{raw}' in {source} is over 1000亿 (1e11), which is not a campaign budget: {AMOUNT_EXAMPLE}",
            field="budget",
        )
    return value


def check_dates(start: dt.date | None, end: dt.date | None, source: str) -> None:
    """Nothing when the period is in order; BriefError on the end field when it ends before it starts."""
    if start is not None and end is not None and end < start:
        raise BriefError(
            f"end {end.isoformat()} in {source} is before start {start.isoformat()}: "
            f"give an end on or after the start, e.g. {start.isoformat()}",
            field="end",
        )


def check_not_past(brief: Brief, today: dt.date | None = None) -> None:
    """Nothing when the campaign has not ended before ``today``; BriefError ``date_in_past`` otherwise
    (a plan cannot schedule work in the past: the planner must give this year's or next year's dates)."""
    today = today or clock.today()
    last = brief.end or brief.start
    if last is not None and last < today:
        field = "end" if brief.end is not None else "start"
        raise BriefError(
            f"{field} {last.isoformat()} is before today ({today.isoformat()}): the campaign would be over "
            f"already; give dates from {today.isoformat()} on (or set CEHUA_TODAY to plan as of another day)",
            field=field, code="date_in_past",
        )


def _as_list(value: Any, name: str, source: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [p.strip() for p in value.replace("、", ",").replace("，", ",").split(",") if p.strip()]
    if isinstance(value, list | tuple) and all(isinstance(v, str | int | float) for v in value):
        return [str(v).strip() for v in value if str(v).strip()]
    raise BriefError(f"{name} in {source} must be a list of text, e.g. [抖音, 小红书]", field=name)


def _roll_forward(values: dict[str, Any], data: dict[Any, Any], today: dt.date) -> None:
    """Dates written without a year (11月1日) that would already be over mean next year's."""
    given = [n for n in ("start", "end") if n in values]
    if not given or any(not isinstance(data[n], str) or infer_year(data[n]) is not None for n in given):
        return
    last = values.get("end") or values["start"]
    if last < today:
        for n in given:
            try:
                values[n] = values[n].replace(year=values[n].year + 1)
            except ValueError:  # 2月29日
                values[n] = values[n] + dt.timedelta(days=365)


def brief_from_mapping(data: Any, source: str = "brief", today: dt.date | None = None) -> Brief:
    """A Brief from a mapping (parsed YAML/JSON, a form): amounts such as '30万元', dates as text or dates.

    Raises BriefError naming the field and an example of what works: unknown fields, unparseable or
    absurd budgets, unparseable dates, an end before the start."""
    if not isinstance(data, dict):
        raise BriefError(f"{source} must be a mapping of fields such as title, budget, start, end; "
                         f"got {type(data).__name__}")
    unknown = [str(k) for k in data if str(k) not in _FIELDS]
    if unknown:
        raise BriefError(
            f"unknown field '{unknown[0]}' in {source}: use only {', '.join(_FIELDS)}", field=unknown[0]
        )
    values: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        if data.get(name) is not None:
            if isinstance(data[name], dict | list):
                raise BriefError(f"{name} in {source} must be text, e.g. {name}: 中秋", field=name)
            values[name] = str(data[name]).strip()
    for name in _LIST_FIELDS:
        if name in data:
            values[name] = _as_list(data[name], name, source)
    if data.get("budget") is not None and str(data["budget"]).strip() != "":
        raw = data["budget"]
        try:
            amount = parse_amount(raw)
        except BriefError:
            raise BriefError(f"budget '{raw}' in {source}: {AMOUNT_EXAMPLE}", field="budget") from None
        values["budget"] = check_budget(amount, source, raw)
    if data.get("stores") is not None and str(data["stores"]).strip() != "":
        raw_stores = str(data["stores"]).strip()
        if not raw_stores.isdigit() or int(raw_stores) <= 0:
            raise BriefError(f"stores '{raw_stores}' in {source}: write the number of stores, e.g. stores: 30",
                             field="stores")
        values["stores"] = int(raw_stores)
    default_year = (today or clock.today()).year
    occasion = values.get("occasion")
    if occasion and find_festival(occasion):
        default_year = next_festival(occasion, today or clock.today()).year
    for name in ("start", "end"):
        if data.get(name) is not None and str(data[name]).strip() != "":
            try:
                values[name] = parse_date(data[name], default_year, field=name, source=source)
            except BriefError:
                raise BriefError(f"{name} '{data[name]}' in {source}: {_date_problem(str(data[name]))}"
                                 f"{DATE_EXAMPLE}", field=name) from None
    _roll_forward(values, data, today or clock.today())
    check_dates(values.get("start"), values.get("end"), source)
    if data.get("script") is not None:
        if data["script"] not in _SCRIPTS:
            raise BriefError(f"script '{data['script']}' in {source}: use one of {', '.join(_SCRIPTS)}",
                             field="script")
        values["script"] = data["script"]
    else:
        text = " ".join(str(values.get(n, "")) for n in ("title", "brand", "product", "audience", "occasion"))
        text += " " + " ".join(values.get("goals", []) + values.get("channels", []))
        values["script"] = detect_script(text) if text.strip() else "zh-Hans"
    try:
        return Brief(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise BriefError(f"{field} in {source}: {err['msg']}", field=field) from None


class _TextDatesLoader(yaml.SafeLoader):
    """YAML's safe loader with dates left as text, so 2027-02-30 gets our one-line error, not a traceback."""


_TextDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_brief(path: str | Path, today: dt.date | None = None) -> Brief:
    """The Brief in a YAML or JSON file. Raises BriefError naming the file for unreadable files and
    for any field that cannot be used."""
    p = Path(path)
    if not p.is_file():
        raise BriefError(f"brief file '{p}' not found: give the path of a .yaml or .json brief")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BriefError(f"brief file '{p}' cannot be read as UTF-8 text ({exc}): save it as UTF-8") from None
    if not text.strip():
        raise BriefError(f"brief file '{p}' is empty: write fields such as budget: 30万元, start: 2026-09-10")
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=_TextDatesLoader)  # noqa: S506 - a SafeLoader subclass
    except json.JSONDecodeError as exc:
        raise BriefError(f"brief file '{p}' is not valid JSON (line {exc.lineno}): {exc.msg}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise BriefError(f"brief file '{p}' is not valid YAML{where}: check indentation and colons") from None
    return brief_from_mapping(data, source=p.name, today=today)


__all__ = ["MAX_BUDGET", "brief_from_mapping", "check_budget", "check_dates", "check_not_past", "load_brief"]
