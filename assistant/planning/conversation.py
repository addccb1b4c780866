"""One conversation in which a planner asks questions, asks for a plan, answers what Cehua asks
back, and changes the plan by talking. Every channel (``/v1/chat``, ``cehua chat``/``ask``, the
widget, chat platforms, ``cehua-draft``) sends each message here.

A message is, in this order: an undo (when there is a plan), an edit of the plan, the answer to
the essentials Cehua asked for, a request for a plan, or else a question for the guidebooks.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant import script_boundary
from assistant.briefs import asked
from assistant.chat import Answer, ChatService
from assistant.chat.question import validate_question
from assistant.planning import messages
from assistant.planning.context import conversation_brief, merged, read
from assistant.planning.edits import is_undo, parse_edits
from assistant.planning.intents import (
    asks_anything,
    asks_how,
    export_format,
    wants_campaign_advice,
    wants_plan,
)
from assistant.planning.service import Change, PlanService, PlanState
from assistant.planning.tools import Decision, decide
from assistant.store import jobs as job_store
from assistant.store.conversation_plans import ConversationPlan, get_state, save_state
from assistant.store.conversations import ConversationStore
from assistant.store.db import session_scope
from core import clock
from core.errors import ModelError
from core.plan import Brief, Citation, Script
from core.text.scripts import message_script, to_simplified

Intent = Literal["question", "request", "answer", "edit", "undo", "export", "no_plan"]
log = logging.getLogger("cehua.planning")
_POLL_SECONDS = 0.05


class TurnReply(BaseModel):
    """What one message got: the reply text, and ``missing`` / ``plan`` when the turn was about a plan."""

    question: str
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    grounded: bool = False
    conversation: str
    script: str
    offline: bool = True
    standalone_question: str | None = None
    intent: Intent = "question"
    missing: list[str] | None = None
    asked: list[str] | None = Field(default=None, description="What an ask-back asked for: the missing essentials, "
                                                              "then 'product' and 'mechanic' when the brief names "
                                                              "none (asked, not required: the draft does not wait).")
    plan: PlanState | None = None
    export: str | None = Field(default=None, description="The plan's download path when the message asked to "
                                                         "export it (「导出word」).")


class TurnEvent(BaseModel):
    """A step of a streamed turn: ``token`` text, ``citations``, drafting ``progress``, then ``done``."""

    type: Literal["token", "citations", "progress", "done"]
    text: str = ""
    citations: list[Citation] = Field(default_factory=list)
    event: str = ""
    data: dict[str, Any] = Field(default_factory=dict)
    reply: TurnReply | None = None


class PlanningChat:
    """Answers and plans in one conversation, over a ``ChatService`` and a ``PlanService``."""

    def __init__(self, chat: ChatService, plans: PlanService) -> None:
        self.chat = chat
        self.plans = plans
        self.settings = plans.settings
        self.store = ConversationStore(self.settings)

    # -- entry points ------------------------------------------------------------------------

    def reply(self, text: str, conversation_id: str | None = None, *, key_id: str | None = None,
              base_url: str | None = "") -> TurnReply:
        """The whole reply to one message (links in it made by ``base_url``, as ``stream`` says)."""
        reply: TurnReply | None = None
        for event in self.stream(text, conversation_id, key_id=key_id, progress=False, base_url=base_url):
            if event.type == "done":
                reply = event.reply
        assert reply is not None
        return reply

    def stream(self, text: str, conversation_id: str | None = None, *, key_id: str | None = None,
               progress: bool = True, base_url: str | None = "") -> Iterator[TurnEvent]:
        """The reply as events. Bad input (empty text, unknown conversation) raises before the first event.

        ``base_url`` is the address the reader opens this server at: links to a plan's file are absolute on it.
        ``''`` (a terminal, which writes the file itself) gives the API path; None (a chat thread, when no
        ``CEHUA_PUBLIC_URL`` is set) gives no link the reader could not open, but the path and how to use it."""
        text = validate_question(text, self.settings.max_question_chars)
        if conversation_id is not None:
            self.store.require(conversation_id)
        state = get_state(self.settings, conversation_id)
        intent, detail = self.classify(text, state, conversation_id)
        if intent == "question":
            return self._question(text, conversation_id, self._offer(text, state, conversation_id))
        return self._planning(text, conversation_id, state, intent, detail, key_id, progress, base_url)

    def classify(self, text: str, state: ConversationPlan | None,
                 conversation_id: str | None = None) -> tuple[Intent, Any]:
        """What the message asks for, and what the classifier already read for it (edits, a brief);
        the conversation's earlier messages are read only when the message may complete a campaign."""
        today = clock.today()
        if state is not None and state.plan_id and wants_plan(text) and _names_a_plan(text, today):
            return "request", None  # 「再帮我做个中秋节方案…」: a new plan, not a change to this one
        if state is not None and state.plan_id and (fmt := export_format(text)):
            return "export", fmt
        if (state is None or not state.plan_id) and not wants_plan(text) and (
                export_format(text) or is_undo(text) and not asks_how(text)):
            return "no_plan", None  # 「导出word」 / 「撤销」 before anything was drafted
        if state is not None and state.plan_id:
            current = self.plans.version(state.plan_id)
            brief = current.brief or self.plans.get(state.plan_id).brief
            template = _template(state.template)
            decision = self._with_tools(text, current.plan, brief, today, template)
            if decision is not None and decision.intent != "question":
                return decision.intent, decision.edits
            if decision is None:  # offline, or the model's calls said nothing the parser could read
                if is_undo(text) and not asks_how(text):
                    return "undo", None
                if not asks_how(text):
                    edits = parse_edits(text, current.plan, brief, today=today, template=template)
                    if edits:
                        return "edit", edits
        if state is not None and state.pending is not None and not asks_how(text):
            said = read(text, today)
            if said is not None and (any(getattr(said, n) is not None for n in state.pending.missing())
                                     or _tells_what_was_asked(text, said, state.pending)):
                return "answer", merged(state.pending, said, override=True)
        since = state.drafted_at if state is not None else 0
        if wants_plan(text) or _states_a_campaign(text, lambda: self._earlier(conversation_id), today, since):
            return "request", None
        return "question", None

    def _with_tools(self, text: str, plan: Any, brief: Brief, today: Any, template: Any) -> Decision | None:
        """The configured model's choice of plan operations (tool calling); None offline, when the
        model fails, or when its calls say nothing the parser can read — the message is then read
        by the parser alone."""
        model = getattr(self.chat, "model", None)
        if model is None or not hasattr(model, "call_tools"):
            return None
        try:
            return decide(model, text, plan, brief, today=today, template=template)
        except ModelError:
            log.warning("the model could not choose plan operations; reading the message offline", exc_info=True)
            return None

    # -- questions ---------------------------------------------------------------------------

    def _offer(self, text: str, state: ConversationPlan | None, conversation_id: str | None) -> str:
        """For a question that wants a campaign (「圣诞节想搞个活动,有什么建议吗」) while no plan is open: the
        offer to draft it, naming what the draft still needs; the essentials said next draft it."""
        if state is not None and state.plan_id or not wants_campaign_advice(text):
            return ""
        since = state.drafted_at if state is not None else 0
        brief = conversation_brief(text, self._earlier(conversation_id), clock.today(), since=since)
        return messages.offer_prompt(brief)

    def _question(self, text: str, conversation_id: str | None, postscript: str = "") -> Iterator[TurnEvent]:
        for event in self.chat.stream(text, conversation_id=conversation_id, postscript=postscript):
            if event.type == "token":
                yield TurnEvent(type="token", text=event.text)
            elif event.type == "citations":
                yield TurnEvent(type="citations", citations=event.citations)
            elif event.answer is not None:
                yield TurnEvent(type="done", reply=_from_answer(event.answer))

    # -- plans -------------------------------------------------------------------------------

    def _planning(self, text: str, conversation_id: str | None, state: ConversationPlan | None, intent: Intent,
                  detail: Any, key_id: str | None, progress: bool, base_url: str | None = "") -> Iterator[TurnEvent]:
        state = state or ConversationPlan(conversation_id=conversation_id or "")
        if intent == "no_plan":
            script = message_script(text, "zh-Hans")
            yield self._done(text, conversation_id, state, messages.say("no_plan_yet", script), script, intent)
            return
        if intent == "undo":
            assert state.plan_id
            change = self.plans.undo(state.plan_id)
            script = _reply_script(text, change.state.brief.script)
            if change.restored is None:
                answer = messages.say("nothing_to_undo", script)
                yield self._done(text, conversation_id, state, answer, script, intent, plan=change.state)
                return
            answer = messages.say("undone", script, restored=change.restored, version=change.state.version)
            yield self._done(text, conversation_id, state, answer, script, intent, plan=change.state)
            return
        if intent == "export":
            assert state.plan_id
            current = self.plans.version(state.plan_id)
            script = message_script(text, current.plan.script)  # "Can I get it as a Word file?" on a Chinese plan
            url = messages.export_path(state.plan_id, detail)
            names = {"docx": "Word", "md": "Markdown", "json": "JSON"}
            # Chinese replies are written in Simplified and converted; an English one quotes the title as written.
            title = current.plan.title if script == "en" else to_simplified(current.plan.title)
            answer = messages.export_reply(title, current.version, names[detail], url,
                                           script, base_url)
            yield self._done(text, conversation_id, state, answer, script, intent, plan=self.plans.state(state.plan_id),
                             quoting=[current.plan.title], export=url)
            return
        if intent == "edit":
            assert state.plan_id
            change = self.plans.apply(state.plan_id, detail)
            yield self._done(text, conversation_id, state, _edit_text(change),
                             _reply_script(text, change.state.brief.script), intent,
                             plan=change.state, quoting=messages.plan_words(change.plan, change.new_findings))
            return
        if intent == "answer":
            brief: Brief = detail
        else:
            earlier = self._earlier(conversation_id)
            brief = conversation_brief(text, earlier, clock.today(), since=state.drafted_at)
        if brief.missing():
            state.pending = brief
            answer = messages.missing_prompt(brief)
            yield self._done(text, conversation_id, state, answer, brief.script, intent, missing=brief.missing(),
                             asked=asked(brief), quoting=messages.asked_words(brief))
            return
        state.pending = None
        plan_id, job_id, future = self.plans.start_draft(brief, request_text=text, key_id=key_id)
        if progress:
            yield from self._progress(job_id, future)
        future.result()
        plan_state = self.plans.finished_draft(plan_id, job_id)
        state.plan_id = plan_id
        state.template = self.plans.get(plan_id).template  # the kind's: later edits read chapters by it
        state.drafted_at = len(self._earlier(conversation_id)) + 1
        current = self.plans.version(plan_id)
        notices = [n for n in current.note.split("; ") if n]
        answer = messages.drafted_summary(current.plan, current.version, current.findings, brief.script, plan_id,
                                          notices=notices, base_url=base_url)
        yield self._done(text, conversation_id, state, answer, brief.script, intent, plan=plan_state,
                         quoting=[*messages.plan_words(current.plan, current.findings), *notices])

    def _progress(self, job_id: str, future: Any) -> Iterator[TurnEvent]:
        """The drafting job's events as they are stored, until it ends."""
        after = 0
        while True:
            with session_scope(self.settings) as session:
                events = job_store.events_after(session, job_id, after)
            for event in events:
                after = event.id
                if event.event not in ("done", "error", "started"):
                    yield TurnEvent(type="progress", event=event.event, data=event.data)
            if future.done() and not events:
                return
            time.sleep(_POLL_SECONDS)

    def _earlier(self, conversation_id: str | None) -> list[str]:
        if conversation_id is None:
            return []
        return [turn.question for turn in self.store.get(conversation_id).turns]

    def _done(self, text: str, conversation_id: str | None, state: ConversationPlan, answer: str, script: Script,
              intent: Intent, *, missing: list[str] | None = None, plan: PlanState | None = None,
              quoting: list[str] | None = None, export: str | None = None,
              asked: list[str] | None = None) -> TurnEvent:
        """The reply stored and sent: where a planning reply (Simplified) leaves Cehua, in the planner's
        script, the planner's and the plan's words (``quoting``) as they wrote them."""
        answer = script_boundary.text(answer, script, script_boundary.own_words(text, *(quoting or [])))
        conversation_id, _ = self.store.add_turn(conversation_id, question=text, standalone_question=text,
                                                 answer=answer, citations=[], grounded=False, script=script)
        state.conversation_id = conversation_id
        save_state(self.settings, state)
        reply = TurnReply(question=text, answer=answer, conversation=conversation_id, script=script,
                          standalone_question=text, intent=intent, missing=missing, asked=asked, plan=plan,
                          export=export)
        return TurnEvent(type="done", reply=reply)


def _reply_script(text: str, plan_script: Script) -> Script:
    """The script a reply about a Chinese plan is written in: the message's own Chinese script where it shows one
    (a Taiwan colleague's 「預算改成4萬」 on a plan drafted in Simplified), else the plan's; the plan itself keeps
    its script. An English plan's replies, and English messages, stay in the plan's script."""
    if plan_script == "en":
        return plan_script
    script = message_script(text, plan_script)
    return script if script != "en" else plan_script


def _edit_text(change: Change) -> str:
    script = change.state.brief.script
    notes = [to_simplified(n) for n in change.notes]  # 「方案渠道中没有抖音,无需去掉」: asked, and not done
    if not change.changed:
        return "\n".join(notes) if notes else messages.say("unchanged", script)
    summary = messages.change_summary(change.state.version, change.state.changes, change.new_findings, script)
    return "\n".join([summary, *notes])


def _from_answer(answer: Answer) -> TurnReply:
    return TurnReply(question=answer.question, answer=answer.answer, citations=list(answer.citations),
                     grounded=answer.grounded, conversation=answer.conversation, script=answer.script,
                     offline=answer.offline, standalone_question=answer.standalone_question, intent="question")


def _states_a_campaign(text: str, earlier: Callable[[], list[str]], today: Any, since: int) -> bool:
    """True when the message gives a campaign's budget or dates, asks nothing, and with what the planner
    said before makes a whole campaign (what, when, how much): 「12月20号在商场办一场亲子烘焙快闪,就一天,
    预算8000」, or 「预算5万,12月18号到25号」 after 「我们是一间咖啡厅,圣诞节想做活动」; or answers the
    offer to draft made to an earlier question (「我们是社区面包店,预算5000」 after 「圣诞节想搞个活动,
    有什么建议吗」: the request then asks for what is still missing)."""
    if asks_anything(text):
        return False
    said = read(text, today)
    if said is None or (said.budget is None and said.start is None):
        return False
    before = earlier()
    brief = conversation_brief(text, before, today, since=since)
    if not brief.missing() and bool(brief.title or brief.product or brief.mechanics or brief.occasion):
        return True
    return any(wants_campaign_advice(message) for message in before[since:])


def _tells_what_was_asked(text: str, said: Brief, pending: Brief) -> bool:
    """True when a message answers the product or mechanic an ask-back asked for (「我們是賣手作蛋糕的,想做滿千送百」,
    "we'll do a gift with purchase"), asking nothing and requesting no other plan."""
    if asks_anything(text) or wants_plan(text):
        return False
    return bool(said.product and not pending.product or said.mechanics and not pending.mechanics)


def _names_a_plan(text: str, today: Any) -> bool:
    """True when the message names the plan it wants (「中秋节促销方案」), as a new request does."""
    brief = read(text, today)
    return brief is not None and bool(brief.title)


def _template(name: str) -> Any:
    from knowledge.templates import load_template

    return load_template(name)


__all__ = ["Intent", "PlanningChat", "TurnEvent", "TurnReply"]
