"""The reply to one chat message: a grounded answer with its sources, a question back for the
plan's essentials, a drafted plan's summary or what an edit changed.

Every platform adapter calls ``AssistantResponder.reply(text, thread=...)`` from a background task.
A thread keeps its conversation (in the state database, shared by every worker), so follow-ups,
answers to what Cehua asked and plan edits in the same Slack thread / Feishu chat carry their context.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from api.integrations.intent import clip
from assistant.chat import Answer
from assistant.planning import PlanningChat, TurnReply
from assistant.store.integrations import remember_thread, thread_conversation
from core.errors import CehuaError, InputError, NotFoundError, StoreError
from core.settings import Settings
from core.text.scripts import detect_script

log = logging.getLogger("cehua.integrations")

_LABELS: dict[str, dict[str, str]] = {
    "zh-Hans": {"sources": "来源：", "failed": "抱歉，暂时无法回答：{reason}",
                "unavailable": "抱歉，助手暂时不可用，请稍后再试。"},
    "zh-Hant": {"sources": "來源：", "failed": "抱歉，暫時無法回答：{reason}",
                "unavailable": "抱歉，助手暫時不可用，請稍後再試。"},
    "en": {"sources": "Sources:", "failed": "Sorry, I cannot answer that: {reason}",
           "unavailable": "Sorry, the assistant is unavailable right now; please try again later."},
}


def _labels(text: str) -> dict[str, str]:
    return _LABELS.get(detect_script(text), _LABELS["zh-Hans"])


def format_answer(answer: Answer | TurnReply, question: str) -> str:
    """An answer as chat text: the answer, then its numbered sources (document › section)."""
    labels = _labels(question)
    lines = [answer.answer.strip()]
    citations = answer.citations
    if citations:
        lines += ["", labels["sources"]]
        for citation in citations:
            where = " › ".join(part for part in (citation.title or citation.doc, citation.section) if part)
            lines.append(f"[{citation.n}] {where}")
    return "\n".join(lines)


class AssistantResponder:
    """Sends each message to the planning conversation (``assistant.planning.PlanningChat``), fetched on
    first use: questions are answered, plans asked for, drafted and changed, as in every other channel.

    Which conversation a thread continues lives in the state database (``integration_threads``),
    not in this object, so a follow-up continues the conversation whichever worker answers it.
    """

    def __init__(self, planning: Callable[[], PlanningChat], settings: Settings) -> None:
        self._planning = planning
        self.settings = settings

    def reply(self, text: str, *, thread: str) -> str:
        """The reply to post: an answer with sources, a question back, a plan summary, or what went wrong."""
        try:
            return clip(self._turn(text, thread))
        except InputError as exc:
            return _labels(text)["failed"].format(reason=exc.message)
        except CehuaError:
            log.exception("assistant failed on a chat message")
            return _labels(text)["unavailable"]

    def _turn(self, text: str, thread: str) -> str:
        planning = self._planning()
        platform, key = split_thread(thread)
        conversation = thread_conversation(self.settings, platform, key) if key else None
        try:
            reply = planning.reply(text, conversation_id=conversation, base_url=self.settings.public_url)
        except NotFoundError:  # the conversation is gone: the thread starts a new one
            reply = planning.reply(text, conversation_id=None, base_url=self.settings.public_url)
        if key and str(reply.conversation) != conversation:
            try:
                remember_thread(self.settings, platform, key, str(reply.conversation), previous=conversation)
            except StoreError:  # the reply is ready: post it; the next message starts afresh
                log.exception("could not remember the conversation of a %s thread", platform)
        if reply.intent == "question":
            return format_answer(reply, text)
        return str(reply.answer)


def split_thread(thread: str) -> tuple[str, str]:
    """(platform, thread key) from an adapter's ``"platform:key"`` thread name."""
    platform, sep, key = thread.partition(":")
    if not sep or not platform or len(platform) > 32:
        return "chat", thread
    return platform, key
