"""Retrieval evaluation: the hit rule shared with answer evaluation, recall@k, MRR@10 and abstention."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field

from core.errors import InputError
from core.text.scripts import compact_simplified
from knowledge.passage import Retriever

MRR_DEPTH = 10


def is_hit(text: str, expect_any: list[str]) -> bool:
    """True when ``text`` contains any expected phrase, both in Simplified script without whitespace."""
    normalized = compact_simplified(text)
    return any(phrase and compact_simplified(phrase) in normalized for phrase in expect_any)


class EvalItem(BaseModel):
    """One line of an evaluation file."""

    id: str
    question: str
    expect_any: list[str] = Field(default_factory=list)
    out_of_scope: bool = False


class ItemOutcome(BaseModel):
    """How one question fared."""

    id: str
    question: str
    rank: int | None = None  # 1-based rank of the first hit within the top 10
    good_match: bool
    top_section: str = ""
    out_of_scope: bool = False


class RetrievalReport(BaseModel):
    """Scores over a file: recall@k and MRR@10 on in-scope items, abstention on out-of-scope ones."""

    k: int
    in_scope: int
    recall_at_k: float
    mrr_at_10: float
    good_match_rate: float
    out_of_scope: int
    abstained: int
    items: list[ItemOutcome]

    @property
    def misses(self) -> list[ItemOutcome]:
        return [i for i in self.items if not i.out_of_scope and (i.rank is None or i.rank > self.k)]

    @property
    def false_answers(self) -> list[ItemOutcome]:
        """Out-of-scope questions that were not abstained on."""
        return [i for i in self.items if i.out_of_scope and i.good_match]


def read_eval_file(path: Path) -> list[EvalItem]:
    """The items of a JSONL evaluation file; InputError names the line that is wrong."""
    items: list[EvalItem] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc}); pass a UTF-8 .jsonl file") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            items.append(EvalItem.model_validate(json.loads(line)))
        except ValueError as exc:
            raise InputError(
                f"{path}:{number}: not an evaluation item ({exc.__class__.__name__}); "
                'write {"id": ..., "question": ..., "expect_any": [...]} on each line'
            ) from exc
    if not items:
        raise InputError(f"{path}: no evaluation items; write one JSON object per line")
    return items


def evaluate_retrieval(retriever: Retriever, items: list[EvalItem], k: int = 5) -> RetrievalReport:
    """Recall@k and MRR@10 of ``retriever`` on the in-scope items, and abstention on the others."""
    outcomes: list[ItemOutcome] = []
    depth = max(k, MRR_DEPTH)
    for item in items:
        result = retriever.search(item.question, k=depth)
        rank = None
        if not item.out_of_scope:
            for i, passage in enumerate(result.passages[:depth], 1):
                if is_hit(passage.text, item.expect_any):
                    rank = i
                    break
        outcomes.append(
            ItemOutcome(
                id=item.id, question=item.question, rank=rank, good_match=result.good_match,
                top_section=result.passages[0].section if result.passages else "",
                out_of_scope=item.out_of_scope,
            )
        )
    in_scope = [o for o in outcomes if not o.out_of_scope]
    oos = [o for o in outcomes if o.out_of_scope]
    n = len(in_scope) or 1
    return RetrievalReport(
        k=k,
        in_scope=len(in_scope),
        recall_at_k=sum(1 for o in in_scope if o.rank is not None and o.rank <= k) / n,
        mrr_at_10=sum(1.0 / o.rank for o in in_scope if o.rank is not None and o.rank <= MRR_DEPTH) / n,
        good_match_rate=sum(1 for o in in_scope if o.good_match) / n,
        out_of_scope=len(oos),
        abstained=sum(1 for o in oos if not o.good_match),
        items=outcomes,
    )
