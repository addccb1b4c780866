"""Answering planners' questions from the guidebooks, as a stream of events or a whole answer.

One question goes through named stages: validate → condense (follow-ups made standalone) →
retrieve → compose (the model, or the offline extractive responder) → check citations → store
the turn. Nothing is stored until the answer is complete, so a failed answer leaves every
conversation as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from itertools import chain
from typing import Literal

from pydantic import BaseModel, Field

from assistant import script_boundary
from assistant.chat import messages as text_for
from assistant.chat.citations import MarkerFilter, citations_for
from assistant.chat.condense import asks_for_more, condense_offline, condense_with_model, language_name
from assistant.chat.extractive import ExtractiveResponder
from assistant.chat.question import asked_for, validate_question
from assistant.chat.topics import covered_topics, related_sections
from assistant.llm.base import ChatModel, Message
from assistant.store.conversations import Conversation, ConversationStore, Turn
from core.errors import ModelError
from core.plan import Citation
from core.settings import Settings
from core.text import segment
from core.text.scripts import ScriptName, detect_script, to_simplified
from knowledge.glossary import translate_query
from knowledge.passage import Passage, Retriever, SearchResult, quoted
from prompts import render

log = logging.getLogger("cehua.chat")

HISTORY_TURNS = 4
# How far below the top k to look for a section named for the kind of thing asked for.
EXTRA_KIND_PASSAGES = 5


class Answer(BaseModel):
    """A complete answer, as the CLI and API return it."""

    question: str
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    grounded: bool = Field(description="True when the answer rests on cited guidebook passages.")
    conversation: str
    script: ScriptName
    offline: bool = Field(description="True when the answer was composed without a model.")
    standalone_question: str


class ChatEvent(BaseModel):
    """One step of a streamed answer: ``token`` chunks, then ``citations``, then ``done``."""

    type: Literal["token", "citations", "done"]
    text: str = ""
    citations: list[Citation] = Field(default_factory=list)
    conversation: str | None = None
    grounded: bool | None = None
    answer: Answer | None = None


class _Draft:
    """What the compose stage has produced so far."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.cited: list[int] = []
        self.grounded = False
        self.offline = True

    @property
    def text(self) -> str:
        return "".join(self.parts)


class ChatService:
    """Answers questions from a ``Retriever``'s passages, with a ``ChatModel`` or offline.

    Build it once per process; it is safe to share between threads (each call opens its own
    database session).
    """

    def __init__(self, settings: Settings, retriever: Retriever, model: ChatModel | None = None, *,
                 k: int = 5) -> None:
        self.settings = settings
        self.retriever = retriever
        self.model = model
        self.k = k
        self.store = ConversationStore(settings)
        self.extractive = ExtractiveResponder()
        segment.warm_up()

    # -- conversations ----------------------------------------------------------------------

    def get_conversation(self, conversation_id: str) -> Conversation:
        """The conversation and its turns; NotFoundError for an unknown id."""
        return self.store.get(conversation_id)

    def turns(self, conversation_id: str) -> list[Turn]:
        """The turns of a conversation, oldest first; NotFoundError for an unknown id."""
        return self.store.get(conversation_id).turns

    # -- answering --------------------------------------------------------------------------

    def ask(self, question: str, conversation_id: str | None = None) -> Answer:
        """The whole answer to ``question`` (in the conversation, when given)."""
        answer: Answer | None = None
        for event in self.stream(question, conversation_id):
            if event.type == "done":
                answer = event.answer
        assert answer is not None  # stream always ends with done
        return answer

    def stream(self, question: str, conversation_id: str | None = None) -> Iterator[ChatEvent]:
        """The answer as events; QuestionError/NotFoundError are raised before the first event."""
        question = validate_question(question, self.settings.max_question_chars)
        history = self.store.recent_turns(conversation_id, HISTORY_TURNS) if conversation_id else []
        return self._stream(question, conversation_id, history)

    def _stream(self, question: str, conversation_id: str | None, history: list[Turn]) -> Iterator[ChatEvent]:
        script = detect_script(question)
        standalone = self._condense(question, history, script)
        result = self._retrieve(question, standalone, history)
        result = result.model_copy(update={"passages": join_adjacent(result.passages)})
        passages = result.passages
        # The one place an answer takes the asker's script: whole sentences (「干」|「净」 split across
        # chunks is 乾淨), quoting the guidebooks, the asker's own words and the fixed wording as written.
        asked = script_boundary.own_words(question, *(turn.standalone_question for turn in history[-1:]))
        sources = [*quoted(passages), *asked, *text_for.WRITTEN]
        shown = script_boundary.Writer(script, sources)
        draft = _Draft()
        for chunk in chain(self._compose(question, standalone, result, script, draft), [None]):
            if chunk is not None:
                draft.parts.append(chunk)
            text = shown.feed(chunk) if chunk is not None else shown.flush()
            if text:
                yield ChatEvent(type="token", text=text)
        citations = script_boundary.citations(citations_for(draft.cited, passages), script, quoted(passages))
        yield ChatEvent(type="citations", citations=citations)
        standalone = script_boundary.text(standalone, script, asked)
        conversation_id, _ = self.store.add_turn(
            conversation_id, question=question, standalone_question=standalone, answer=shown.text,
            citations=citations, grounded=draft.grounded and bool(citations), script=script)
        answer = Answer(question=question, answer=shown.text, citations=citations,
                        grounded=draft.grounded and bool(citations), conversation=conversation_id, script=script,
                        offline=draft.offline, standalone_question=standalone)
        yield ChatEvent(type="done", conversation=conversation_id, grounded=answer.grounded, answer=answer)

    def _retrieve(self, question: str, standalone: str, history: list[Turn]) -> SearchResult:
        """Passages for the standalone question; for 「还有呢?」 the ones the last answer did not cite."""
        if not (history and asks_for_more(question) and history[-1].citations):
            return self._search(standalone)
        shown: set[tuple[str, int, int]] = set()
        for turn in reversed(history):  # every answer to this question so far (「还有呢?」 asked twice)
            if to_simplified(turn.standalone_question) != to_simplified(standalone):
                break
            shown |= {(c.doc, c.start, c.end) for c in turn.citations}
        result = self.retriever.search(standalone, self.k + len(shown))
        # Cited passages may be joined chunks: a chunk inside one was shown too.
        fresh = [p for p in result.passages if not any(
            d == p.doc and ((s, e) == (p.start, p.end) or s <= p.start < e and p.end <= e) for d, s, e in shown)]
        return result.model_copy(update={"passages": fresh[: self.k]}) if fresh else result

    def _search(self, query: str) -> SearchResult:
        """The top ``k`` passages, plus any a little further down whose own heading names what the
        question asks for (「二、活动目的」 for 「…的目的是什么?」): short sections rank low but answer."""
        kind = asked_for(query)
        if not kind:
            return self.retriever.search(query, self.k)
        result = self.retriever.search(query, self.k + EXTRA_KIND_PASSAGES)
        extra = [p for p in result.passages[self.k:] if kind in to_simplified(p.section.split(">")[-1])]
        return result.model_copy(update={"passages": result.passages[: self.k] + extra})

    def _condense(self, question: str, history: list[Turn], script: ScriptName) -> str:
        """The standalone question, in Simplified (English as asked)."""
        if not history:
            return question if script == "en" else to_simplified(question)
        if self.model is not None:
            return condense_with_model(self.model, question, history, script)
        return condense_offline(question, history)

    # -- composing --------------------------------------------------------------------------

    def _compose(self, question: str, standalone: str, result: SearchResult, script: ScriptName,
                 draft: _Draft) -> Iterator[str]:
        # Offline, the relevance model decides; with a chat model only its lenient floor does, and the
        # model says when the passages do not answer (its reply then cites nothing: grounded false).
        answerable = result.good_match if self.model is None else result.plausible
        if not answerable or not result.passages:
            yield self._abstention(standalone, result.passages, script)
            return
        if self.model is None:
            yield from self._offline(standalone, result.passages, script, draft,
                                     note=text_for.english_needs_model() if script == "en" else "")
            return
        yield from self._with_model(question, standalone, result.passages, script, draft, result.good_match)

    def _offline(self, question: str, passages: list[Passage], script: ScriptName, draft: _Draft,
                 note: str = "") -> Iterator[str]:
        """The extractive answer (after ``note``), or the abstention when no sentence fits."""
        # The passages are Chinese: an English question picks its sentences by the Chinese terms it
        # stands for (the glossary retrieval used), falling back to the words as written.
        focus = (translate_query(question) or question) if script == "en" else question
        text, cited = self.extractive.answer(focus, passages, text_for.quote_lead_in(script))
        if not text and focus != question:
            text, cited = self.extractive.answer(question, passages, text_for.quote_lead_in(script))
        if not text:
            yield self._abstention(question, passages, script)
            return
        if note:
            yield note
        draft.cited.extend(n + 1 for n in cited)
        draft.grounded = True
        yield from self._chunked(text)

    def _with_model(self, question: str, standalone: str, passages: list[Passage], script: ScriptName,
                    draft: _Draft, good_match: bool = True) -> Iterator[str]:
        assert self.model is not None
        language = language_name(script)
        messages: list[Message] = [
            {"role": "system", "content": render("answer_system", language=language)},
            # The passages in Simplified, like the rest of Cehua: the reply is shown in the asker's script
            # at the output boundary, quoting the guidebooks' own characters.
            {"role": "user", "content": render("answer", passages=passages,
                                               question=standalone, language=language)},
        ]
        markers = MarkerFilter(valid=len(passages))
        started = False
        draft.offline = False
        try:
            for piece in markers.run(self.model.stream(messages)):
                # Simplified inside Cehua, like every other part of the answer (the asker's script is
                # given at the output boundary, in ``_stream``).
                chunk = piece if script == "en" else to_simplified(piece)
                if chunk:
                    started = True
                    yield chunk
        except ModelError as exc:
            draft.offline = True
            draft.cited = list(markers.cited)  # markers already shown keep their sources
            log.warning("model failed, answering offline: %s", exc)
            yield text_for.model_failed(script, str(exc), started)
            yield from self._offline(standalone, passages, script, draft)
            return
        if markers.cited:
            draft.cited = list(markers.cited)
            draft.grounded = True
            return
        draft.grounded = False
        if not good_match:
            return  # the model said the passages do not answer: its word stands, ungrounded
        # The model cited nothing it was given: say so, and show what the guidebooks do say.
        yield text_for.uncited(script)
        yield from self._offline(standalone, passages, script, draft)
        draft.grounded = False

    def _abstention(self, question: str, passages: list[Passage], script: ScriptName) -> str:
        """The abstention, suggesting retrieved sections only when their heading names what is asked
        about, else the guidebooks' chapters (when the retriever can list its sections)."""
        related = related_sections(question, passages)
        if related:
            return text_for.abstention(script, related=related)
        sections = getattr(self.retriever, "sections", None)
        return text_for.abstention(script, topics=covered_topics(sections()) if callable(sections) else [])

    @staticmethod
    def _chunked(text: str) -> Iterator[str]:
        yield from text.splitlines(keepends=True)


def join_adjacent(passages: list[Passage]) -> list[Passage]:
    """``passages`` with consecutive chunks of one section joined into one passage, at the rank of
    the better one: a list split across two chunks (items 1 and 2–4) is quoted and cited whole."""
    joined: list[Passage] = []
    for passage in passages:
        for i, kept in enumerate(joined):
            known = kept.end > kept.start and passage.end > passage.start  # offsets are known
            if known and kept.doc == passage.doc and kept.section == passage.section and (
                    kept.end == passage.start or passage.end == kept.start):
                first, second = (kept, passage) if kept.end == passage.start else (passage, kept)
                written = ((first.source_text or first.text) + (second.source_text or second.text)
                           if first.source_text or second.source_text else "")
                joined[i] = kept.model_copy(update={
                    "text": first.text + second.text, "start": first.start, "end": second.end,
                    "score": max(kept.score, passage.score), "source_text": written})
                break
        else:
            joined.append(passage)
    return joined

