"""What Cehua says about plans: the essentials it still needs, what a change did, the findings it brought,
a drafted plan's summary. Written in Simplified and English; a planning reply takes the planner's script
where it leaves (``PlanningChat``, through ``assistant/script_boundary.py``), quoting the plan's words as
the plan writes them (``plan_words``)."""

from __future__ import annotations

from assistant import script_boundary
from assistant.briefs import campaign_named, optional_question
from core.plan import Brief, Finding, Plan
from core.text.lists import listed
from core.text.money import currency_words, money
from core.text.scripts import to_simplified

MAX_FINDINGS_SHOWN = 6

_FIELDS = {"zh": {"budget": "预算", "start": "开始日期", "end": "结束日期"},
           "en": {"budget": "budget", "start": "start date", "end": "end date"}}
_TEXT = {
    "missing": ("要起草方案，还需要：{fields}。直接告诉我就行，例如「预算5万，下个月1号到15号」。",
                "To draft the plan I still need: {fields}. Just tell me, e.g. \"budget 50,000 RMB, Dec 1 to Dec 15\"."),
    "offer": ("想让我直接起草这个活动的方案的话，告诉我{fields}就行，例如「预算5万，下个月1号到15号」。",
              "If you'd like me to draft the plan, tell me the {fields}, e.g. \"budget 50,000 RMB, Dec 1 to Dec 15\"."),
    "offer_ready": ("想让我按这些直接起草方案的话，说一声「帮我做方案」就行。",
                    "If you'd like me to draft the plan from this, just say \"draft the plan\"."),
    "missing_error": ("还缺少{fields}：请补充后再提交，例如「预算30万，9月10日到9月25日」",
                      "Missing {fields}: please add them, e.g. 'budget 300,000 RMB, Sep 10 to Sep 25'"),
    "drafted": ("已起草方案《{title}》（第{version}版，{chapters}章{budget}）：",
                "Drafted the plan \"{title}\" (version {version}, {chapters} chapters{budget}):"),
    "budget": ("，总预算{amount}", ", total budget {amount}"),
    "changed": ("已修改方案（第{version}版）：", "Changed the plan (version {version}):"),
    "unchanged": ("方案已经是这样了，没有生成新版本。", "The plan already says so; no new version was made."),
    "undone": ("已撤销上一次修改，恢复为第{restored}版的内容（现为第{version}版）。",
               "Undid the last change: the plan is back to version {restored} (now version {version})."),
    "no_plan_yet": ("还没有起草方案：先告诉我活动、预算和日期，例如「帮我做个双十二女装促销方案，预算10万，12月5号到12号」。",
                    "There is no plan yet: tell me the campaign, budget and dates first, e.g. \"a Christmas promotion "
                    "for our bakery, budget 30k, Dec 15 to Dec 25\"."),
    "nothing_to_undo": ("没有可以撤销的修改：这已经是最初起草的版本。", "There is no change to undo: this is the first draft."),
    "clean": ("校验通过：没有发现错误。", "Checks passed: no errors found."),
    "findings": ("校验发现{errors}个错误、{warnings}个提醒：", "Checks found {errors} error(s) and {warnings} warning(s):"),
    "new_findings": ("这次修改带来的新问题：", "New findings after this change:"),
    "no_new_findings": ("修改后校验：没有新的问题。", "Checked again: no new findings."),
    "more": ("……另有{n}条", "... and {n} more"),
    # What to say for the file, in every channel (cehua chat writes it), then its link: not an HTTP call. The
    # link stays: /v1/chat/completions finds the plan of the history a client sends back by it.
    "saved": ("方案编号：{id}（要 Word 文件，说「导出word」，或下载 {url}）",
              "Plan id: {id} (say \"export to Word\" for the Word file, or download {url})"),
    # A chat thread that knows no address of the server: a path it cannot open would read as a broken link.
    "saved_no_link": ("方案编号：{id}（要 Word 文件，说「导出word」）", "Plan id: {id} (say \"export to Word\" for the Word file)"),
    "export": ("《{title}》第{version}版的{name}文件：{url}", "Version {version} of \"{title}\" as {name}: {url}"),
    "export_no_link": ("《{title}》第{version}版的{name}文件在 Cehua 服务上的下载路径：{url}（在服务的网址后加上这段路径即可下载；"
                       "管理员设置 CEHUA_PUBLIC_URL 后，这里会直接给出可以打开的链接）",
                       "Version {version} of \"{title}\" as {name} is at {url} on the Cehua server (add it to the server's "
                       "address to download it; once an admin sets CEHUA_PUBLIC_URL, replies here give a link to open)"),
    "no_edit": ("没有听懂要怎么修改方案。可以这样说：「预算改成8千」「活动整体延后一周」「预热期延长到两周」「把宣传费提到50%」"
                "「加上小红书渠道」「第五节写得更具体一点」「删掉风险那一章」「撤销」。",
                "I could not tell what to change. Try: \"change the budget to 8,000\", \"push everything back a week\", "
                "\"extend the warm-up to two weeks\", \"raise advertising to 50%\", \"add Xiaohongshu\", \"undo\"."),
}


def _lang(script: str) -> str:
    return "en" if script == "en" else "zh"


def say(key: str, script: str, **values: object) -> str:
    """The sentence ``key`` (English for ``script`` 'en', else Simplified) with ``values`` filled in."""
    zh, en = _TEXT[key]
    return en.format(**values) if script == "en" else zh.format(**values)


def field_names(missing: list[str], script: str) -> str:
    """「预算、开始日期」 / 'budget and start date', 'budget, start date and end date'."""
    names = [_FIELDS[_lang(script)].get(m, m) for m in missing]
    return listed(names, english=script == "en")


def missing_prompt(brief: Brief, script: str | None = None) -> str:
    """Asking for the brief's missing essentials (budget, dates), naming the campaign as far as the brief knows it
    (「你们的手冲咖啡豆双十二满减活动：」) and asking for its product and mechanic when it names none. Simplified:
    the planner's own words are quoted back as written where the reply leaves (``asked_words``)."""
    script = script or brief.script
    lang = "en" if script == "en" else "zh-Hans"
    opening, extra = campaign_named(brief, lang), optional_question(brief, lang)
    if lang != "en":  # the briefs' wordings are punctuated as the CLI prints them; a chat reply's Chinese is full-width
        opening, extra = opening.translate(_FULL_WIDTH), extra.translate(_FULL_WIDTH)
    text = say("missing", script, fields=field_names(brief.missing(), script))
    return opening + text + (" " if script == "en" and extra else "") + extra


_FULL_WIDTH = str.maketrans({":": "：", ",": "，", "?": "？", "(": "（", ")": "）"})


def asked_words(brief: Brief) -> list[str]:
    """The planner's words an ask-back names, as they wrote them (to be quoted back so)."""
    return [brief.product, brief.occasion, *brief.mechanics]


def offer_prompt(brief: Brief) -> str:
    """Offering to draft the campaign a question described, with what the draft still needs."""
    if brief.missing():
        return say("offer", brief.script, fields=field_names(brief.missing(), brief.script))
    return say("offer_ready", brief.script)


def missing_message(brief: Brief) -> str:
    """The one-line error for a create request without its essentials (API 422, CLI exit 3), in the
    brief's script: it leaves Cehua here."""
    return script_boundary.text(say("missing_error", brief.script, fields=field_names(brief.missing(), brief.script)),
                                brief.script)


def findings_lines(findings: list[Finding], script: str) -> list[str]:
    """The validators' findings as lines, errors first, at most ``MAX_FINDINGS_SHOWN``."""
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity != "error"]
    if not errors and not warnings:
        return [say("clean", script)]
    lines = [say("findings", script, errors=len(errors), warnings=len(warnings))]
    ordered = errors + warnings
    for f in ordered[:MAX_FINDINGS_SHOWN]:
        mark = "✗" if f.severity == "error" else "!"
        where = f" ({f.location})" if f.location else ""
        lines.append(f"{mark} [{f.code}] {to_simplified(f.message)}{to_simplified(where)}")
    if len(ordered) > MAX_FINDINGS_SHOWN:
        lines.append(say("more", script, n=len(ordered) - MAX_FINDINGS_SHOWN))
    return lines


def export_path(plan_id: str, fmt: str = "docx") -> str:
    """The API path of a plan's file (``GET /v1/plans/{id}/export``)."""
    return f"/v1/plans/{plan_id}/export?format={fmt}"


def file_link(path: str, base_url: str | None) -> str | None:
    """``path`` as the reader can open it: absolute on ``base_url`` (the address the reader reaches the server
    at); the path itself for ``''`` (a channel that hands over the file itself, as ``cehua chat`` writes it);
    None when the reader knows no address of the server (a chat thread without ``CEHUA_PUBLIC_URL``)."""
    if base_url is None:
        return None
    return base_url.rstrip("/") + path


def export_reply(title: str, version: int, name: str, path: str, script: str, base_url: str | None) -> str:
    """What an export request gets: the file's link, or, with none the reader could open, its path and how to use it."""
    link = file_link(path, base_url)
    if link is None:
        return say("export_no_link", script, title=title, version=version, name=name, url=path)
    return say("export", script, title=title, version=version, name=name, url=link)


def drafted_summary(plan: Plan, version: int, findings: list[Finding], script: str, plan_id: str | None = None,
                    notices: list[str] | None = None, base_url: str | None = "") -> str:
    """A drafted plan as chat text: title, chapters, budget, what the validators found, its id (and the link to
    its Word file, on ``base_url`` as ``file_link`` makes it)."""
    budget = say("budget", script, amount=amount_text(plan.budget_total, script, plan.currency)) if plan.budget_total else ""
    lines = [say("drafted", script, title=to_simplified(plan.title), version=version, chapters=len(plan.chapters),
                 budget=budget)]
    lines += [f"· {to_simplified(chapter.title)}" for chapter in plan.chapters]
    lines += ["", *findings_lines(findings, script), *(to_simplified(n) for n in notices or [])]
    if plan_id:
        link = file_link(export_path(plan_id), base_url)
        lines += ["", say("saved", script, id=plan_id, url=link) if link else say("saved_no_link", script, id=plan_id)]
    return "\n".join(lines)


def change_summary(version: int, changes: list[str], new_findings: list[Finding], script: str) -> str:
    """What an edit changed (a short list) and the findings it brought."""
    lines = [say("changed", script, version=version)]
    lines += [f"- {to_simplified(change)}" for change in changes]
    if new_findings:
        lines += [say("new_findings", script), *findings_lines(new_findings, script)[1:]]
    else:
        lines.append(say("no_new_findings", script))
    return "\n".join(lines)


def amount_text(amount: float | None, script: str, currency: str = "CNY") -> str:
    """An amount as planners write it, in the plan's currency (the drafting module's one money formatter)."""
    if amount is None:
        return ""
    return money(amount, "en" if script == "en" else "zh-Hans", currency=currency)


def plan_words(plan: Plan | None, findings: list[Finding]) -> list[str]:
    """What a reply may quote from a plan as the plan writes it: title, headings, findings, its currency's name
    (新台幣, not opencc's 新臺幣)."""
    words = [plan.title, *(c.title for c in plan.chapters),
             *(written for _, written in currency_words(plan.currency))] if plan is not None else []
    return words + [f.message for f in findings] + [f.location for f in findings]


__all__ = ["amount_text", "asked_words", "change_summary", "drafted_summary", "export_path", "export_reply", "field_names",
           "file_link", "findings_lines",
           "missing_message", "missing_prompt", "offer_prompt", "plan_words", "say"]
