"""The question a planner is asked when a brief lacks its essentials, in the request's own script."""

from __future__ import annotations

from core.plan import Brief

_NAMES = {
    "zh-Hans": {"budget": "预算", "start": "开始日期", "end": "结束日期"},
    "zh-Hant": {"budget": "預算", "start": "開始日期", "end": "結束日期"},
    "en": {"budget": "the budget", "start": "the start date", "end": "the end date"},
}
_QUESTION = {
    "zh-Hans": "还缺少{fields}:请问{asks}?例如「预算30万,12月10日到12月20日」。",
    "zh-Hant": "還缺少{fields}:請問{asks}?例如「預算30萬,12月10日到12月20日」。",
    "en": "I still need {fields}: {asks}? For example \"budget 300k, Dec 10 to Dec 20\".",
}
_ASKS = {
    "zh-Hans": {"budget": "总预算是多少", "start": "活动哪天开始", "end": "活动哪天结束"},
    "zh-Hant": {"budget": "總預算是多少", "start": "活動哪天開始", "end": "活動哪天結束"},
    "en": {"budget": "what is the total budget", "start": "when does the campaign start",
           "end": "when does it end"},
}


def missing_question(brief: Brief, missing: list[str] | None = None) -> str:
    """The question asking for ``missing`` (default: the brief's missing essentials) in the brief's
    script; '' when nothing is missing."""
    missing = brief.missing() if missing is None else missing
    if not missing:
        return ""
    script = brief.script
    sep = ", " if script == "en" else "、"
    ask_sep = "; " if script == "en" else ","
    fields = sep.join(_NAMES[script].get(m, m) for m in missing)
    asks = ask_sep.join(_ASKS[script].get(m, m) for m in missing)
    return _QUESTION[script].format(fields=fields, asks=asks)


__all__ = ["missing_question"]
