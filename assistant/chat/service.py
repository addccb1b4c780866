"""Answering planners' questions from the guidebooks, as a stream of events or a whole answer.

One question goes through named stages: validate → condense (follow-ups made standalone) →
retrieve → compose (the model, or the offline extractive responder) → check citations → store
the turn. Nothing is stored until the answer is complete, so a failed answer leaves every
conversation as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from itertools import chain
from typing import Literal

from pydantic import BaseModel, Field

from assistant import script_boundary
from assistant.chat import messages as text_for
from assistant.chat.citations import MarkerFilter, Numbering, citations_for, normalize_markers
from assistant.chat.condense import asks_for_more, condense_offline, condense_with_model, language_name
from assistant.chat.extractive import ExtractiveResponder, asks_for_list
from assistant.chat.framing import english_frame, other_occasion_note, sample_blanks_note
from assistant.chat.passage_units import INTRODUCES_LIST, split_units
from assistant.chat.question import asked_for, asks_how, validate_question
from assistant.chat.topics import covered_topics, related_sections
from assistant.llm.base import ChatModel, Message
from assistant.store.conversations import Conversation, ConversationStore, Turn
from core.errors import ModelError
from core.plan import Citation
from core.settings import Settings
from core.text import segment
from core.text.question import analyse
from core.text.scripts import Script, detect_script, to_simplified
from knowledge import cedict
from knowledge.glossary import translate_query
from knowledge.passage import Passage, Retriever, SearchResult, quoted
from knowledge.precedents import Precedent
from knowledge.senses import Senses
from prompts import render

log = logging.getLogger("cehua.chat")

HISTORY_TURNS = 4
# How far below the top k to look for a section named for the kind of thing asked for.
EXTRA_KIND_PASSAGES = 5
# Passages kept for each part of a question of several parts.
PART_PASSAGES = 3
# Sub-sections read after a section that announces them as its list (「以下几种:」).
MAX_LIST_SECTIONS = 8


class Answer(BaseModel):
    """A complete answer, as the CLI and API return it."""

    question: str
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    grounded: bool = Field(description="True when the answer rests on cited guidebook passages.")
    conversation: str
    script: Script
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
        self.numbering = Numbering()  # the passages cited, numbered 1..n in the order the answer cites them
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

    def warm_up(self) -> None:
        """Load now what the first question would otherwise wait for: the segmentation dictionaries, and
        CC-CEDICT in a background thread (English words the glossary lacks are read through it). A server
        calls it before it says it is ready; a one-shot ``cehua ask`` does not, since a Chinese question
        never reads the English dictionary and its 3 s of CPU and ~35 MB would only slow the answer."""
        segment.warm_up()
        cedict.warm_up_in_background()

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

    def stream(self, question: str, conversation_id: str | None = None, *,
               postscript: str = "") -> Iterator[ChatEvent]:
        """The answer as events; QuestionError/NotFoundError are raised before the first event.
        ``postscript`` (Simplified or English fixed wording) closes the answer as its last paragraph."""
        question = validate_question(question, self.settings.max_question_chars)
        history = self.store.recent_turns(conversation_id, HISTORY_TURNS) if conversation_id else []
        return self._stream(question, conversation_id, history, postscript)

    def _stream(self, question: str, conversation_id: str | None, history: list[Turn],
                postscript: str = "") -> Iterator[ChatEvent]:
        script = detect_script(question)
        standalone = self._condense(question, history, script)
        result = self._retrieve(question, standalone, history)
        result = result.model_copy(update={"passages": join_adjacent(self._with_list_sections(result.passages))})
        passages = result.passages
        # The one place an answer takes the asker's script: whole sentences (「干」|「净」 split across
        # chunks is 乾淨), quoting the guidebooks, the asker's own words and the fixed wording as written.
        asked = script_boundary.own_words(question, *(turn.standalone_question for turn in history[-1:]))
        sources = [*quoted(passages), *asked, *text_for.WRITTEN]
        shown = script_boundary.Writer(script, sources)
        draft = _Draft()
        closing = [f"\n\n{postscript}"] if postscript else []
        for chunk in chain(self._compose(question, standalone, result, script, draft), closing, [None]):
            if chunk is not None:
                draft.parts.append(chunk)
            text = shown.feed(chunk) if chunk is not None else shown.flush()
            if text:
                yield ChatEvent(type="token", text=text)
        citations = script_boundary.citations(citations_for(draft.numbering.passages, passages, draft.text),
                                              script, quoted(passages))
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
        """Passages for the question; for a question of several parts each of which the guidebooks answer
        (「客服多久回复?数据多久看一次?」), the best passages of each part in turn, so every part can be
        answered from its own."""
        parts = question_parts(query)
        if len(parts) < 2:
            return self._search_one(query)
        whole = self._search_one(query)
        found = [self._search_one(part) for part in parts]
        if not all(r.good_match for r in found):
            return whole
        # The whole question's passages first (a part may lean on another: 「促销有哪些形式?广告算吗?」),
        # then each part's best that are not among them.
        merged = list(whole.passages)
        for rank in range(PART_PASSAGES):
            for result in found:
                if rank < len(result.passages) and not any(
                        (p.doc, p.start, p.end) == (result.passages[rank].doc, result.passages[rank].start,
                                                    result.passages[rank].end) for p in merged):
                    merged.append(result.passages[rank])
        return whole.model_copy(update={
            "passages": merged, "good_match": True, "plausible": True,
            "relevance": max(whole.relevance, min(r.relevance for r in found))})

    def _with_list_sections(self, passages: list[Passage]) -> list[Passage]:
        """``passages`` and, for one that ends by announcing a list whose items are the sub-sections after
        it (「…主要包括以下五个环节:」 then 「2.1.1策略分解」 「2.1.2资源配置」…), those sub-sections when search
        did not bring them, so the list is quoted whole (when the retriever can read what follows a passage)."""
        following = getattr(self.retriever, "following", None)
        if not callable(following):
            return passages
        out = list(passages)
        for passage in passages:
            units = split_units(passage.text)
            if not units or not INTRODUCES_LIST.search(units[-1]):
                continue
            for item in following(passage, MAX_LIST_SECTIONS):
                if not item.section.startswith(passage.section + " >"):
                    break
                if not any(p.doc == item.doc and p.start <= item.start < p.end for p in out):
                    out.append(item)
        return out

    def _search_one(self, query: str) -> SearchResult:
        """The top ``k`` passages, plus any a little further down whose own heading names what the
        question asks for (「二、活动目的」 for 「…的目的是什么?」): short sections rank low but answer."""
        kind = asked_for(query)
        if not kind:
            return self.retriever.search(query, self.k)
        result = self.retriever.search(query, self.k + EXTRA_KIND_PASSAGES)
        extra = [p for p in result.passages[self.k:] if kind in to_simplified(p.section.split(">")[-1])]
        return result.model_copy(update={"passages": result.passages[: self.k] + extra})

    def _condense(self, question: str, history: list[Turn], script: Script) -> str:
        """The standalone question, in Simplified (English as asked)."""
        if not history:
            # Simplified as written: the retriever reads it in the guidebooks' words (资料 → 数据 only where
            # they write 数据; Taiwan's phrase table would also make 建立 创建 and 执行 运行).
            return question if script == "en" else to_simplified(question)
        if self.model is not None:
            return condense_with_model(self.model, question, history, script)
        return condense_offline(question, history)

    # -- composing --------------------------------------------------------------------------

    def _compose(self, question: str, standalone: str, result: SearchResult, script: Script,
                 draft: _Draft) -> Iterator[str]:
        # Offline, the relevance model decides; with a chat model only its lenient floor does, and the
        # model says when the passages do not answer (its reply then cites nothing: grounded false).
        answerable = result.good_match if self.model is None else result.plausible
        if not answerable or not result.passages:
            yield self._abstention(standalone, result.passages, script)
            return
        if self.model is None:
            yield from self._offline(standalone, result.passages, script, draft, result.understood, result.precedents)
            return
        yield from self._with_model(question, standalone, result.passages, script, draft, result.good_match)

    def _offline(self, question: str, passages: list[Passage], script: Script, draft: _Draft,
                 understood: str = "", echoes: Sequence[tuple[Precedent, float]] = ()) -> Iterator[str]:
        """The extractive answer, or the abstention when no sentence fits. Its first line says what the
        quotes are: the guidebooks' own words, under an English sentence saying where and on what for an
        English question; a note follows when they are about another occasion than the one asked about.
        Its sentences are picked by ``quote_focus`` and, for a question put like labelled ones (``echoes``), by
        where those were answered."""
        focus = self.quote_focus(question, script, passages, understood)
        parts = question_parts(focus) if script != "en" else []
        text, cited = (self.extractive.answer_parts(focus, parts, passages, "", echoes) if len(parts) > 1
                       else ("", []))
        if not text:
            text, cited = self.extractive.answer(focus, passages, "", list_question=asks_for_list(question),
                                                 how=asks_how(question), asker=question, echoes=echoes)
        if not text and focus != question:
            text, cited = self.extractive.answer(question, passages, "")
        if not text:
            yield self._abstention(question, passages, script)
            return
        sources = [passages[i] for i in cited]
        quotes = text.strip("\n")
        lines = [english_frame(question, sources, quotes, self._senses(), model_configured=self.model is not None)
                 if script == "en"
                 else text_for.quote_lead_in(script)]
        notes = (other_occasion_note(question, sources, script), sample_blanks_note(quotes, script))
        lines += [note for note in notes if note]
        text, _ = normalize_markers("\n".join([*lines, quotes]), len(passages), draft.numbering)
        draft.grounded = True
        yield from self._chunked(text)

    def quote_focus(self, question: str, script: Script, passages: list[Passage], understood: str = "") -> str:
        """What the offline answer picks its sentences by: a Chinese question as search ``understood`` it
        (竟品 read as 竞品); an English one in the Chinese terms it stands for that the ``passages`` write (the
        sense search took), or the words as written when none is."""
        if script != "en":
            return understood or question
        texts = [to_simplified(p.text) for p in passages]
        return translate_query(question, lambda term: any(term in t for t in texts), senses=self._senses()) or question

    def _senses(self) -> Senses | None:
        """How the retriever's index reads an English word (the sense its search took), when it can say."""
        senses_of = getattr(self.retriever, "senses", None)
        return senses_of() if senses_of is not None else None

    def _with_model(self, question: str, standalone: str, passages: list[Passage], script: Script,
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
        markers = MarkerFilter(valid=len(passages), numbering=draft.numbering)
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
            draft.offline = True  # markers already shown keep their numbers; the offline answer goes on from them
            log.warning("model failed, answering offline: %s", exc)
            yield text_for.model_failed(script, exc, started)
            yield from self._offline(standalone, passages, script, draft)
            return
        if markers.cited:
            draft.grounded = True
            return
        draft.grounded = False
        if not good_match:
            return  # the model said the passages do not answer: its word stands, ungrounded
        # The model cited nothing it was given: say so, and show what the guidebooks do say.
        yield text_for.uncited(script)
        yield from self._offline(standalone, passages, script, draft)
        draft.grounded = False

    def _abstention(self, question: str, passages: list[Passage], script: Script) -> str:
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


def question_parts(question: str) -> list[str]:
    """The parts of a question that asks several things (the question analyser's asking clauses, in
    Simplified); one part for a question that asks one."""
    return analyse(to_simplified(question)).parts


def join_adjacent(passages: list[Passage]) -> list[Passage]:
    """``passages`` with consecutive chunks of one section joined into one passage, at the rank of
    the better one: a list split across two chunks (items 1 and 2–4) is quoted and cited whole. A section
    whose text ends by announcing a list (「…主要包括以下几种:」) is joined the same way with the
    sub-sections that follow it, which are the list's items; those stay passages of their own too (a
    question may be about one of them)."""
    joined = list(passages)
    changed = True
    while changed:  # a chain of chunks can arrive in any order
        changed = False
        for i, j in ((i, j) for i in range(len(joined)) for j in range(len(joined)) if i != j):
            first, second = joined[i], joined[j]
            glue = _continues(first, second)
            if glue is None or glue and any(p.section == second.section and p.start == second.start and
                                            p.end <= first.end for p in joined if p is not second):
                continue
            written = ((first.source_text or first.text) + glue + (second.source_text or second.text)
                       if first.source_text or second.source_text else "")
            joined[min(i, j)] = first.model_copy(update={
                "text": first.text + glue + second.text, "end": second.end,
                "score": max(first.score, second.score), "source_text": written})
            if not glue:
                del joined[max(i, j)]
            changed = True
            break
    return joined


def _continues(first: Passage, second: Passage) -> str | None:
    """What joins ``second`` to ``first`` when it is the text right after it in its guidebook, of its
    section ('') or of a sub-section of a section that announces a list ('\\n', the sub-section's heading
    starts a line); None when it does not continue it."""
    known = first.end > first.start and second.end > second.start  # offsets are known
    if not (known and first.doc == second.doc and first.end == second.start):
        return None
    if first.section == second.section:
        return ""
    announces = any(INTRODUCES_LIST.search(unit) for unit in split_units(first.text))
    return "\n" if second.section.startswith(first.section + " >") and announces else None
