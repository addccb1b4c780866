"""Answer evaluation: hit rate, abstention, wrong abstention and script match on a question set.

An in-scope answer is a hit when its text contains an expected phrase (the retrieval hit rule)
and it cites at least one passage. Every question is also asked in Traditional script, and that
answer must come back in Traditional.
"""

from __future__ import annotations

import time

from pydantic import BaseModel

from assistant import script_boundary
from assistant.chat.service import Answer, ChatService
from core.text.scripts import detect_script
from knowledge.evaluate import EvalItem, is_hit


class AnswerOutcome(BaseModel):
    """How one question's answer fared."""

    id: str
    question: str
    out_of_scope: bool
    hit: bool
    abstained: bool
    script_ok: bool
    traditional_ok: bool
    traditional_hit: bool
    seconds: float
    answer: str


class AnswerReport(BaseModel):
    """Scores over a question set."""

    in_scope: int
    out_of_scope: int
    hit_rate: float
    abstained_out_of_scope: int
    wrong_abstention_rate: float
    script_match_rate: float
    traditional_match_rate: float
    traditional_hit_rate: float
    p50_seconds: float
    items: list[AnswerOutcome]

    @property
    def misses(self) -> list[AnswerOutcome]:
        return [i for i in self.items if not i.out_of_scope and not i.hit]


def abstained(answer: Answer) -> bool:
    """True when the answer declines to answer from the guidebooks (no citation at all)."""
    return not answer.citations and not answer.grounded


def _script_ok(question: str, answer: Answer) -> bool:
    expected = detect_script(question)
    if expected == "en":
        return answer.script == "en"
    # Text with no script-specific characters reads the same in both scripts.
    reads_right = (detect_script(answer.answer) == expected
                   or script_boundary.text(answer.answer, expected) == answer.answer)
    return answer.script == expected and reads_right


def evaluate_answers(service: ChatService, items: list[EvalItem]) -> AnswerReport:
    """Ask every item (and its Traditional form) in a fresh conversation and score the answers."""
    outcomes: list[AnswerOutcome] = []
    for item in items:
        started = time.perf_counter()
        answer = service.ask(item.question)
        seconds = time.perf_counter() - started
        traditional_question = script_boundary.text(item.question, "zh-Hant")  # as a Traditional reader writes it
        traditional = service.ask(traditional_question)
        outcomes.append(AnswerOutcome(
            id=item.id, question=item.question, out_of_scope=item.out_of_scope,
            hit=not item.out_of_scope and bool(answer.citations) and is_hit(answer.answer, item.expect_any),
            abstained=abstained(answer),
            script_ok=_script_ok(item.question, answer),
            traditional_ok=detect_script(traditional_question) != "zh-Hant"
            or _script_ok(traditional_question, traditional),
            traditional_hit=not item.out_of_scope and bool(traditional.citations)
            and is_hit(traditional.answer, item.expect_any),
            seconds=seconds, answer=answer.answer,
        ))
    in_scope = [o for o in outcomes if not o.out_of_scope]
    oos = [o for o in outcomes if o.out_of_scope]
    n = len(in_scope) or 1
    times = sorted(o.seconds for o in outcomes)
    return AnswerReport(
        in_scope=len(in_scope), out_of_scope=len(oos),
        hit_rate=sum(o.hit for o in in_scope) / n,
        abstained_out_of_scope=sum(o.abstained for o in oos),
        wrong_abstention_rate=sum(o.abstained for o in in_scope) / n,
        script_match_rate=sum(o.script_ok for o in outcomes) / max(1, len(outcomes)),
        traditional_match_rate=sum(o.traditional_ok for o in outcomes) / max(1, len(outcomes)),
        traditional_hit_rate=sum(o.traditional_hit for o in in_scope) / n,
        p50_seconds=times[len(times) // 2] if times else 0.0,
        items=outcomes,
    )
