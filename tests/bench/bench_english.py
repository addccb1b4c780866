"""English questions offline: recall@5, good_match in and out of scope, answer hits, and query latency.

Run: ``python tests/bench/bench_english.py [--questions FILE]``. FILE is JSON lines in the eval format
(``question``, ``expect_any``, ``out_of_scope``); the default is the English set below, written for
this benchmark (paraphrases of guidebook topics, and everyday questions the guidebooks do not cover).

``python tests/bench/bench_english.py --half look|hold`` instead asks every English question of the dev sets
(``DEV_FILES``: the planner dev sets ``bench_answers.DEV_HALVED`` halves, english_questions, english_questions_test2,
english_dev9, adjacent_dev) and of
the set above, split into two halves by the parity of the SHA-1 of the item's id (``bench_answers.in_half``):
changes to how English is read are tuned on the look half and judged on the hold half, whose misses are never
printed. It gives recall@5, MRR@10, answer hit, wrong refusals and off-topic refused; ``--files`` keeps the
English questions of some of those files only (``--files english_dev9.jsonl``: 91 questions written for round
nine as planners write English, before any change, and 45 off-topic ones).
Runs offline in a temporary data directory; nothing under the real CEHUA_HOME is touched.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_answers import FILES, PLANNER_DEV, in_half  # noqa: E402

IN_SCOPE: list[tuple[str, list[str]]] = [
    ("How early should the warm-up start before a promotion?", ["提前一个月开始预热"]),
    ("What aspects of the market background should be analysed before a promotion?", ["行业发展趋势、消费者需求变化"]),
    ("What tools does price promotion use?", ["打折、优惠券、限时特价"]),
    ("What are the benefits of joint promotions?", ["实现资源共享,扩大市场影响力"]),
    ("What creative ideas are there for packaging design?", ["情感化设计", "互动性设计", "地域文化设计"]),
    ("Which type of pricing strategy does odd pricing belong to?", ["整数定价、尾数定价、声望定价"]),
    ("Which costs should we consider when setting prices?", ["生产成本、销售成本、运输成本"]),
    ("What does data-driven marketing mean?", ["用户画像、营销自动化、数据挖掘"]),
    ("How often should campaign progress be monitored?", ["每小时、每天、每周"]),
    ("What methods of market segmentation are there?", ["地理细分", "心理细分", "行为细分"]),
    ("What is an undifferentiated marketing strategy?", ["将整个市场视为一个目标市场"]),
    ("How should we respond when a competitor cuts prices?", ["跟随降价或保持原价"]),
    ("How do we integrate online and offline channels?", ["数据互通", "服务一体化"]),
    ("How can online marketing channels be expanded, and what are SEO and SEM for?", ["搜索引擎优化(SEO)"]),
    ("What principles should marketing goal setting follow?", ["具体(Specific)、可衡量(Measurable)"]),
    ("What emergencies should a campaign contingency plan cover?", ["设备故障、突发事件、恶劣天气"]),
    ("How do we follow up with customers after the event?", ["通过邮件、短信、电话等方式进行回访"]),
    ("What if participation in a promotion is lower than expected?", ["增加宣传预算、调整促销策略或优化活动流程"]),
    ("How quickly should we reply to customer feedback?", ["24小时内给予回复"]),
    ("How should a spend-and-save discount be set up?", ["满100减10"]),
    ("Which industries can we partner with for cross-border cooperation?", ["与快递公司合作", "与银行合作"]),
    ("How should a store be decorated for a Spring Festival event?", ["红地毯"]),
    ("What theme suits a summer clothing sale?", ["清凉夏日,时尚感受"]),
    ("What is differential pricing?", ["差别定价"]),
    ("How should the budget and resources be allocated?", ["预算"]),
    ("What legal risks should we guard against?", ["法律法规"]),
    ("What Qixi activities can a cinema run for couples?", ["七夕"]),
]
OUT_OF_SCOPE: list[str] = [
    "How do I renew a passport?", "What is a Python decorator?", "How do I get my electric scooter inspected?",
    "What is the capital of Australia?", "How do I bake sourdough bread?", "How many players are on a football team?",
    "How do I fix a flat bicycle tyre?", "What is the best treatment for a cold?", "How do I apply for a mortgage?",
    "Can you recommend a good hotel in Paris?", "How do I change the oil in my car?",
    "What time does the train to Beijing leave?", "How do I plan a budget for my wedding?",
    "What are the symptoms of diabetes?", "How do I install Linux on my laptop?",
    "How do I file my personal income tax return?", "What is the best way to learn Japanese?",
    "How do I train my dog to sit?", "How do I reset my router password?", "How much does a new iPhone cost?",
    "How do I write a cover letter for a job?", "What are the rules of chess?",
]


DATA = ROOT / "tests" / "data"
# A new planner dev set joins when bench_answers halves it, as it joins the robust runs and the ranking fit.
DEV_FILES = (*(FILES[name].name for name in PLANNER_DEV),
             "english_questions.jsonl", "english_questions_test2.jsonl", "english_dev9.jsonl", "adjacent_dev.jsonl")


def _half_items(half: str, files: tuple[str, ...] = DEV_FILES) -> list[dict]:
    """Every English question of ``files`` (those that exist; the set above too when ``files`` is all of
    ``DEV_FILES``) in ``half``."""
    rows = [{"id": f"bench-en-{n}", **item} for n, item in enumerate(_items(None))] if files == DEV_FILES else []
    for name in files:
        path = DATA / name
        if path.exists():
            rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r.get("script", "en") == "en" and in_half(r["id"], half)]


def _halves(half: str, misses: bool, files: tuple[str, ...] = DEV_FILES) -> None:
    _score(_half_items(half, files), f"{half} half", misses and half == "look")


def _part_items(path: Path, part: str) -> list[dict]:
    """The questions of ``path`` whose ``part`` is ``part`` (a set written with its own dev and frozen parts)."""
    items = [i for i in _items(path) if i.get("part") == part]
    if not items:
        raise SystemExit(f"{path}: no question has \"part\": \"{part}\"; give a file with dev and hold parts "
                         "(tests/data/english_eng23.jsonl)")
    return items


def _score(items: list[dict], label: str, misses: bool) -> None:
    """Recall@5, MRR@10, answer hit, framed answers, wrong refusals and off-topic refused over ``items``; with
    ``misses`` each miss and each answered off-topic question is printed."""
    from assistant.chat.evaluate import abstained
    from knowledge.evaluate import MRR_DEPTH, is_hit
    from tests.bench.bench_answer_form import english_framed

    with _service() as (kb, service):
        hits = framed = refused = recall = off_refused = 0
        mrr = 0.0
        in_scope = [i for i in items if not i.get("out_of_scope")]
        off = [i for i in items if i.get("out_of_scope")]
        for item in off:
            answer = service.ask(item["question"])
            off_refused += abstained(answer)
            if misses and not abstained(answer):
                print(f"  ANSWERED OFF-TOPIC {item['id']}: {item['question']}")
        for item in in_scope:
            passages = kb.search(item["question"], MRR_DEPTH).passages
            rank = next((i for i, p in enumerate(passages, 1) if is_hit(p.text, item["expect_any"])), None)
            recall += rank is not None and rank <= 5
            mrr += 1.0 / rank if rank else 0.0
            answer = service.ask(item["question"])
            hit = bool(answer.citations) and is_hit(answer.answer, item["expect_any"])
            hits += hit
            framed += hit and english_framed(answer)
            refused += abstained(answer)
            if misses and not hit:
                where = f"rank {rank}" if rank else "not in top 10"
                print(f"  {'REFUSED' if abstained(answer) else 'MISSED'} {item['id']} ({where}): {item['question']}")
        n = max(1, len(in_scope))
        print(f"English {label}: {len(in_scope)} in scope, {len(off)} off-topic")
        print(f"  recall@5 {recall / n:.3f}  MRR@10 {mrr / n:.3f}  answer hit {hits / n:.3f} ({hits}/{len(in_scope)})  "
              f"framed {framed}/{len(in_scope)}  "
              f"wrong refusals {refused / n:.3f}  off-topic refused {off_refused}/{len(off)}")


@contextlib.contextmanager
def _service():  # type: ignore[no-untyped-def]
    from assistant.chat.service import ChatService
    from core.settings import Settings
    from knowledge.base import KnowledgeBase

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        settings = Settings(home=home, openai_api_key=None, openai_base_url=None, embedding_model=None,
                            chroma_url=None, database_url=f"sqlite:///{home / 'state.db'}")
        kb = KnowledgeBase(settings)
        kb.ensure_ready()
        yield kb, ChatService(settings, kb)


def _items(path: Path | None) -> list[dict]:
    if path is None:
        return ([{"question": q, "expect_any": e, "out_of_scope": False} for q, e in IN_SCOPE]
                + [{"question": q, "expect_any": [], "out_of_scope": True} for q in OUT_OF_SCOPE])
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=None, help="JSON lines in the eval format")
    parser.add_argument("--half", choices=("look", "hold"), help="the English dev questions of this half instead")
    parser.add_argument("--part", choices=("dev", "hold"),
                        help="only the questions of --questions (default english_eng23.jsonl; the later sets written "
                             "with parts: english_eng26, english_eng27, english_eng28) with this \"part\", scored as "
                             "--half is")
    parser.add_argument("--misses", action="store_true",
                        help="with --half look or --part dev: print the misses (never those of a frozen part)")
    parser.add_argument("--files", nargs="+", choices=DEV_FILES, default=DEV_FILES,
                        help="with --half: only the English questions of these dev files")
    args = parser.parse_args()
    if args.part:
        path = args.questions or DATA / "english_eng23.jsonl"
        _score(_part_items(path, args.part), f"{path.name} {args.part} part", args.misses and args.part == "dev")
        return
    if args.half:
        _halves(args.half, args.misses, tuple(args.files))
        return

    from knowledge.evaluate import is_hit
    from knowledge.glossary import translate_query

    items = _items(args.questions)
    with _service() as (kb, service):
        latencies: list[float] = []
        recall = good_in = answered = good_out = 0
        in_scope = [i for i in items if not i.get("out_of_scope")]
        off = [i for i in items if i.get("out_of_scope")]
        for item in items:
            started = time.perf_counter()
            result = kb.search(item["question"], 5)
            latencies.append((time.perf_counter() - started) * 1000)
            if item.get("out_of_scope"):
                good_out += result.good_match
                continue
            hit = any(is_hit(p.text, item["expect_any"]) for p in result.passages)
            recall += hit
            good_in += result.good_match
            answer = service.ask(item["question"])
            answered += is_hit(answer.answer, item["expect_any"])
            if not (hit and result.good_match):
                print(f"  weak: {item['question']} -> {translate_query(item['question'])} "
                      f"(hit={hit}, good_match={result.good_match})")
        print(f"in scope: {len(in_scope)} questions")
        print(f"  recall@5            {recall / max(1, len(in_scope)):.3f}")
        print(f"  good_match          {good_in / max(1, len(in_scope)):.3f}")
        print(f"  offline answer hit  {answered / max(1, len(in_scope)):.3f}")
        print(f"out of scope: {len(off)} questions")
        print(f"  good_match (wrong)  {good_out / max(1, len(off)):.3f}")
        print(f"search latency ms: median {statistics.median(latencies):.1f}, "
              f"max {max(latencies):.1f}")


if __name__ == "__main__":
    main()
