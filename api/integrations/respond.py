"""The reply to one chat message: a grounded answer with its sources, or a drafted plan's summary.

Every platform adapter calls ``AssistantResponder.reply(text, thread=...)`` from a background task.
A thread keeps its chat conversation (in the state database, shared by every worker), so follow-up
questions in the same Slack thread / Feishu chat carry their context.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from api.integrations.common import clip, wants_plan
from assistant.plan import Brief, Finding
from assistant.store import plans
from assistant.store.db import session_scope
from assistant.store.integrations import remember_thread, thread_conversation
from core.errors import CehuaError, InputError, NotFoundError, StoreError
from core.settings import Settings
from core.text.money import money
from core.text.scripts import detect_script

log = logging.getLogger("cehua.integrations")

_LABELS: dict[str, dict[str, str]] = {
    "zh-Hans": {
        "saved": "方案编号：{id}（导出 Word：GET /v1/plans/{id}/export?format=docx）",
        "sources": "来源：",
        "drafted": "已起草方案《{title}》：{chapters} 章",
        "budget": "，总预算 {amount}",
        "clean": "校验通过：没有发现错误。",
        "findings": "校验发现 {errors} 个错误、{warnings} 个提醒：",
        "missing": "要起草方案，还需要：{fields}。请补充后再发一次，例如「预算80万，9月1日到9月30日」。",
        "sep": "、",
        "budget_field": "预算",
        "start_field": "开始日期",
        "end_field": "结束日期",
        "failed": "抱歉，暂时无法回答：{reason}",
        "unavailable": "抱歉，助手暂时不可用，请稍后再试。",
        "more": "……另有 {n} 条",
    },
    "zh-Hant": {
        "saved": "方案編號：{id}（匯出 Word：GET /v1/plans/{id}/export?format=docx）",
        "sources": "來源：",
        "drafted": "已起草方案《{title}》：{chapters} 章",
        "budget": "，總預算 {amount}",
        "clean": "校驗通過：沒有發現錯誤。",
        "findings": "校驗發現 {errors} 個錯誤、{warnings} 個提醒：",
        "missing": "要起草方案，還需要：{fields}。請補充後再發一次，例如「預算80萬，9月1日到9月30日」。",
        "sep": "、",
        "budget_field": "預算",
        "start_field": "開始日期",
        "end_field": "結束日期",
        "failed": "抱歉，暫時無法回答：{reason}",
        "unavailable": "抱歉，助手暫時不可用，請稍後再試。",
        "more": "……另有 {n} 條",
    },
    "en": {
        "saved": "Plan id: {id} (Word export: GET /v1/plans/{id}/export?format=docx)",
        "sources": "Sources:",
        "drafted": "Drafted plan \"{title}\": {chapters} chapters",
        "budget": ", total budget {amount}",
        "clean": "Checks passed: no errors found.",
        "findings": "Checks found {errors} error(s) and {warnings} warning(s):",
        "missing": "To draft a plan I also need: {fields}. Send them again, e.g. "
                   "\"budget 800k CNY, Sept 1 to Sept 30\".",
        "sep": ", ",
        "budget_field": "budget",
        "start_field": "start date",
        "end_field": "end date",
        "failed": "Sorry, I cannot answer that: {reason}",
        "unavailable": "Sorry, the assistant is unavailable right now; please try again later.",
        "more": "... and {n} more",
    },
}
MAX_FINDINGS_SHOWN = 6


def _labels(text: str) -> dict[str, str]:
    return _LABELS.get(detect_script(text), _LABELS["zh-Hans"])


def format_answer(answer: Any, question: str) -> str:
    """An answer as chat text: the answer, then its numbered sources (document › section)."""
    labels = _labels(question)
    lines = [str(answer.answer).strip()]
    citations = list(getattr(answer, "citations", []) or [])
    if citations:
        lines += ["", labels["sources"]]
        for citation in citations:
            where = " › ".join(part for part in (citation.title or citation.doc, citation.section) if part)
            lines.append(f"[{citation.n}] {where}")
    return "\n".join(lines)


def format_findings(findings: list[Finding], labels: dict[str, str]) -> list[str]:
    """The validators' findings as chat lines, errors first, at most ``MAX_FINDINGS_SHOWN``."""
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity != "error"]
    if not errors and not warnings:
        return [labels["clean"]]
    lines = [labels["findings"].format(errors=len(errors), warnings=len(warnings))]
    ordered = errors + warnings
    for finding in ordered[:MAX_FINDINGS_SHOWN]:
        mark = "✗" if finding.severity == "error" else "!"
        where = f" ({finding.location})" if finding.location else ""
        lines.append(f"{mark} [{finding.code}] {finding.message}{where}")
    if len(ordered) > MAX_FINDINGS_SHOWN:
        lines.append(labels["more"].format(n=len(ordered) - MAX_FINDINGS_SHOWN))
    return lines


def format_draft(result: Any, request: str, plan_id: str | None = None) -> str:
    """A drafted plan as chat text: title, chapters, budget, what the validators found, where it is saved."""
    labels = _labels(request)
    plan = result.plan
    head = labels["drafted"].format(title=plan.title, chapters=len(plan.chapters))
    if plan.budget_total:
        head += labels["budget"].format(amount=money(plan.budget_total, plan.script))
    lines = [head]
    lines += [f"· {chapter.title}" for chapter in plan.chapters]
    lines.append("")
    lines += format_findings(list(result.findings), labels)
    lines += [str(notice) for notice in getattr(result, "notices", []) or []]
    if plan_id:
        lines += ["", labels["saved"].format(id=plan_id)]
    return "\n".join(lines)


def format_missing(brief: Brief, request: str) -> str:
    """What the planner still has to say before a plan can be drafted."""
    labels = _labels(request)
    fields = labels["sep"].join(labels[f"{name}_field"] for name in brief.missing())
    return labels["missing"].format(fields=fields)


class AssistantResponder:
    """Answers with the chat service and drafts with the drafter, both fetched on first use.

    Which conversation a thread continues lives in the state database (``integration_threads``),
    not in this object, so a follow-up continues the conversation whichever worker answers it.
    """

    def __init__(self, chat: Callable[[], Any], drafter: Callable[[], Any], settings: Settings) -> None:
        self._chat = chat
        self._drafter = drafter
        self.settings = settings

    def reply(self, text: str, *, thread: str) -> str:
        """The reply to post: an answer with sources, a plan summary, or what went wrong."""
        try:
            if wants_plan(text):
                return clip(self._draft(text))
            return clip(self._answer(text, thread))
        except InputError as exc:
            return _labels(text)["failed"].format(reason=exc.message)
        except CehuaError:
            log.exception("assistant failed on a chat message")
            return _labels(text)["unavailable"]

    def _answer(self, question: str, thread: str) -> str:
        chat = self._chat()
        platform, key = split_thread(thread)
        conversation = thread_conversation(self.settings, platform, key) if key else None
        try:
            answer = chat.ask(question, conversation_id=conversation)
        except NotFoundError:  # the conversation is gone: the thread starts a new one
            answer = chat.ask(question, conversation_id=None)
        if key and str(answer.conversation) != conversation:
            try:
                remember_thread(self.settings, platform, key, str(answer.conversation), previous=conversation)
            except StoreError:  # the answer is ready: post it; the next message starts afresh
                log.exception("could not remember the conversation of a %s thread", platform)
        return format_answer(answer, question)

    def _draft(self, request: str) -> str:
        from assistant.briefs import parse_request

        brief = parse_request(request)
        if brief.missing():
            return format_missing(brief, request)
        drafter = self._drafter()
        result = drafter.draft(brief)
        return format_draft(result, request, save_draft(drafter.settings, brief, request, result))


def split_thread(thread: str) -> tuple[str, str]:
    """(platform, thread key) from an adapter's ``"platform:key"`` thread name."""
    platform, sep, key = thread.partition(":")
    if not sep or not platform or len(platform) > 32:
        return "chat", thread
    return platform, key


def save_draft(settings: Settings, brief: Brief, request: str, result: Any) -> str | None:
    """Store the drafted plan like the API does (so it can be opened and exported); its id, or None
    when the state database is unavailable (the chat still gets its summary)."""
    try:
        with session_scope(settings) as session:
            plan_id = plans.create_plan(session, brief, template=getattr(result, "template", "promotion"),
                                        request_text=request)
            plans.add_version(session, plan_id, plan=result.plan, markdown=result.plan_markdown,
                              findings=list(result.findings), citations=list(result.citations), source="draft",
                              note="drafted from a chat message")
        return plan_id
    except StoreError:
        log.exception("could not store a plan drafted from chat")
        return None
