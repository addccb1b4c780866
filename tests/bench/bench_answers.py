"""Answer quality as planners ask: hit rate, wrong refusals, off-topic refused, recall@5/MRR@10, p50.

    python tests/bench/bench_answers.py [--misses SET ...] [--sets SET ...] [--half look|hold] [--dev-half look|hold] [--by-script]

Sets (all under tests/data/, named in ``FILES``): ``planner-train`` (the planner-phrased questions the fits train
on); ``planner-test``, ``planner-test2`` and ``planner-test3`` (the first three frozen batches, measured at first
contact and now split into halves, see ``--half``); and a pair per later round, ``planner-devN`` and
``planner-testN`` (N = 5, 6, …), written from the guidebooks before any change of that round, distinct from each
other and from the older open sets. ``planner-devN`` is open: it is halved (``DEV_HALVED``), its look half may be
printed and tuned on; before that (``PENDING``: during the round that wrote it) it runs only when named with
``--sets``. ``planner-testN`` and ``planner-test4`` are sealed (``SEALED``): never tuned on, their misses
never printed, and only run when named with ``--sets``. How each pair was written, and its first-contact figures,
is in the round's "(author)" section of docs/answer_quality.md. Also: ``dev``, ``planner-dev``, ``heldout``, ``oos-extra``,
and ``robust``: every dev, held-out and planner dev set question (the planner-dev sets of ``DEV_HALVED``; in scope
and off-topic) with a politeness suffix, a business-context prefix, a spoken filler and a common typo; and
``robust-fresh``: the same questions with other suffixes, prefixes, fillers and slips that no fit trains on
(``tests.perturb.fresh_variants``), so robustness is also measured on wording the models never saw.
``adjacent-dev``: marketing-adjacent questions (HR, payroll, tax, ad law, IT accounts, logistics, finance, design
software, product development, sales scripts: 104 off-topic) and 30 in-scope ones sharing their words, written
before the gate's round-seven changes; ``robust-adjacent`` and ``robust-adjacent-fresh`` ask it perturbed.
``trad-dev``: Traditional questions as Taiwan and Hong Kong planners write them (Taiwan vocabulary, written
Cantonese, a context clause the question leans on: 92 in scope) and 30 off-topic ones, written before round
eight's Traditional changes.
``--half look`` / ``--half hold`` keep one half of each of the three older planner sets (an item's half
is the parity of the SHA-1 of its id): all three have been measured at first contact, so one half now
serves as dev (its misses may be printed) while the other stays unlooked at and is only measured.
``--dev-half look`` / ``--dev-half hold`` do the same for the dev sets a change may be tuned on (``DEV_HALVED``;
also inside the robust runs): look for what to change on one half, judge it on the other before landing; the hold half's misses are
never printed.
``planner-dev23q`` (pending): 42 context-first questions (the asker's shop, occasion or product before what is
asked; Simplified, Taiwan and Hong Kong Traditional, English; 6 off-topic), written before round twenty-three's
quote23 change; its halves are named in its ids (odd ``…-dev`` look, even ``…-hold`` hold, see ``in_half``), and
``--dev-half`` halves it though it is pending (``PENDING_HALVED``).
``planner-dev23p`` (pending, halved by id like planner-dev23q): 93 asks in the planners' own words rather than the
guidebooks' (要卖给谁 for 目标受众, 先炒热度 for 预热, 满额折抵 for 满减, 網紅/達人 for 意见领袖; Simplified, Taiwan and
Hong Kong Traditional, English) and 20 marketing-adjacent off-topic ones, written before round twenty-three's para23
change; a topic asked in two scripts sits in one half.
``planner-dev26f`` (pending, halved by id): 60 in-scope asks in the guidebooks' topics but full of chat fragments
(老问, 来算, 掏钱, 攒够, 有用吗, 讲点, 小伙伴, 先挑, 试试, 几样, 跟不上, 一下子; Simplified, Taiwan and Hong Kong
Traditional) and 25 off-topic asks put the same chatty way, written before round twenty-six's frag26 change; the two
halves ask different topics.
``planner-dev26c`` (pending, halved by id like planner-dev23q): 54 Hong Kong asks in written Cantonese mixed with
Traditional written Chinese and English words (使唔使, 少少, 啲乜, 點算, 搞掂咗, 幾時, and the chat spellings 既/野/黎
for 嘅/嘢/嚟) and 20 Hong Kong off-topic ones (MPF, BR, 利得稅, a dripping air conditioner), written before round
twenty-six's canto26 change; one topic per item, odd items look, even items hold.
``planner-dev26w`` (pending, halved by id, split by topic): 103 asks in planners' own words (Simplified 48, Taiwan and
Hong Kong Traditional 30, English 25) and 30 off-topic ones (trademarks, invoices, payroll, platform verification,
English household and business-admin asks), written before round twenty-six's training asks in planners' words.
``english-eng27`` (pending, halved by id, split by topic; also ``bench_english.py --questions
tests/data/english_eng27.jsonl --part dev|hold``): 73 English asks in planners' chat English and marketing slang (DMs,
pitch deck, slashed prices, plateaued, a product drop, collab, UGC, foot traffic, upsell, bundle deal, flash sale, BOGO,
swag, loyalty perks, churn) and 40 English off-topic ones (household; business admin: taxes, visas, payroll, leases,
printers, domain email; marketing-adjacent admin: ad-account verification, trademarks, invoices), written before round
twenty-seven's eng27 change.
``english-eng28`` (pending, halved by id, split by topic; also ``bench_english.py --questions
tests/data/english_eng28.jsonl --part dev|hold``): 73 English asks in planners' chat English on guidebook topics, full of
everyday words whose dictionary senses are ambiguous (charge, cart, cashiers, ingredients, floor price, range, outlets,
tills, kit, gear, specials) and chat shortenings, and 30 English off-topic asks sharing business words (a card charged
twice, a cashier job, a recipe's ingredients, a parcel to ship, a rent rise, sales tax), written before round
twenty-eight's eng28 change.
``planner-dev27w`` (pending, halved by id, split by topic): 60 asks in planners' own words on topics planner-dev26w
does not ask (团队氛围, 招人带人, 价值定价, 数据驱动, 渠道维护; Simplified 26, Taiwan and Hong Kong Traditional 18,
English 16) and 40 off-topic ones of the kinds that share marketing and business words (look: leases, mail/DNS/website
hosting, platform verification, invoices and VAT, English household; hold: payroll/MPF/社保, trademarks, company
registration, customs, ad-account bans, English business admin), written before round twenty-seven's trainw27 refit.
``planner-dev27r`` (pending, halved by id: odd items look, even items hold): 115 asks written to recheck round
twenty-six's three analyser changes on asks their authors did not write: 30 Hong Kong asks (written Cantonese with
Traditional written Chinese and English words), 30 Simplified chat asks (spoken chat words, run-together bits,
particles), 25 English asks with idioms, phrasal verbs and slang, and 10 off-topic asks in each of the three styles.
``planner-dev28q`` (pending, halved by id, split by topic): 102 asks in planners' own words (Simplified 42, Taiwan and
Hong Kong Traditional 34, English 26) whose answer is one sentence, list or list item inside a longer section (list
asks, asks of two parts, asks whose words match a neighbouring sentence better than the answer), and 15 off-topic
ones, written before round twenty-eight's quote28 change to which passage and sentences are quoted.
``planner-dev28g`` (pending, halved by id, split by topic): 80 asks in planners' own words on 40 topics from all five
guidebooks, each topic asked in two scripts inside one half (Simplified with context, fillers and slips; Taiwan and Hong
Kong Traditional, written Cantonese included; English), and 40 off-topic asks that share marketing and business words
(look: trademarks, invoices/VAT, leases, mail/DNS/certificates, household; hold: ad-account bans, payroll/MPF/社保/勞健保,
printers, visas, company registration), written before round twenty-eight's gate28 change to the relevance gate.
``--breakdown`` adds, for each set, where its misses stand: refused or answered from another passage, with the
expected passage at rank 1, at ranks 2–5, 6–10 or not in the top 10 (aggregates only, so hold halves get it too).
``--by-script`` adds, for each set, the same figures per script of its items (the ``script`` field: zh-Hans,
zh-Hant, en); aggregates only, so frozen and sealed sets get them too.
Offline answers through the ChatService over the bundled guidebooks (CEHUA_HOME: a temporary
directory when unset).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "data"
FILES = {
    "planner-train": DATA / "planner_train.jsonl",
    "planner-test": DATA / "planner_test.jsonl",
    "planner-test2": DATA / "planner_test2.jsonl",
    "planner-test3": DATA / "planner_test3.jsonl",
    "planner-test4": DATA / "planner_test4.jsonl",
    "planner-dev5": DATA / "planner_dev5.jsonl",
    "planner-test5": DATA / "planner_test5.jsonl",
    "planner-dev6": DATA / "planner_dev6.jsonl",
    "planner-test6": DATA / "planner_test6.jsonl",
    "planner-dev7": DATA / "planner_dev7.jsonl",
    "planner-test7": DATA / "planner_test7.jsonl",
    "planner-dev8": DATA / "planner_dev8.jsonl",
    "planner-test8": DATA / "planner_test8.jsonl",
    "planner-dev9": DATA / "planner_dev9.jsonl",
    "planner-test9": DATA / "planner_test9.jsonl",
    "planner-dev10": DATA / "planner_dev10.jsonl",
    "planner-test10": DATA / "planner_test10.jsonl",
    "planner-dev11": DATA / "planner_dev11.jsonl",
    "planner-test11": DATA / "planner_test11.jsonl",
    "planner-dev12": DATA / "planner_dev12.jsonl",
    "planner-test12": DATA / "planner_test12.jsonl",
    "planner-dev13": DATA / "planner_dev13.jsonl",
    "planner-test13": DATA / "planner_test13.jsonl",
    "planner-dev14": DATA / "planner_dev14.jsonl",
    "planner-test14": DATA / "planner_test14.jsonl",
    "planner-dev17": DATA / "planner_dev17.jsonl",
    "planner-test17": DATA / "planner_test17.jsonl",
    "planner-dev18": DATA / "planner_dev18.jsonl",
    "planner-test18": DATA / "planner_test18.jsonl",
    "planner-dev19": DATA / "planner_dev19.jsonl",
    "planner-test19": DATA / "planner_test19.jsonl",
    "planner-dev23g": DATA / "planner_dev23g.jsonl",
    "planner-dev23q": DATA / "planner_dev23q.jsonl",
    "planner-dev23p": DATA / "planner_dev23p.jsonl",
    "planner-dev26f": DATA / "planner_dev26f.jsonl",
    "planner-dev26c": DATA / "planner_dev26c.jsonl",
    "planner-dev26w": DATA / "planner_dev26w.jsonl",
    "english-eng27": DATA / "english_eng27.jsonl",
    "planner-dev27w": DATA / "planner_dev27w.jsonl",
    "planner-dev27r": DATA / "planner_dev27r.jsonl",
    "english-eng28": DATA / "english_eng28.jsonl",
    "planner-dev28q": DATA / "planner_dev28q.jsonl",
    "planner-dev28g": DATA / "planner_dev28g.jsonl",
    "dev": DATA / "eval" / "questions_dev.jsonl",
    "planner-dev": DATA / "eval" / "questions_planner_dev.jsonl",
    "heldout": DATA / "questions_heldout.jsonl",
    "oos-extra": DATA / "out_of_scope_extra.jsonl",
    "adjacent-dev": DATA / "adjacent_dev.jsonl",
    "trad-dev": DATA / "trad_dev.jsonl",
}
SEALED = {"planner-test4", "planner-test5", "planner-test6", "planner-test7", "planner-test8",
          "planner-test9", "planner-test10", "planner-test11", "planner-test12",
          "planner-test13", "planner-test14", "planner-test17", "planner-test18",
          "planner-test19"}  # run only when named with --sets
OLDER = ("planner-test", "planner-test2", "planner-test3")  # measured at first contact: split into halves
FROZEN = {*OLDER, *SEALED}  # never tuned on: their misses are shown only for an older set's look half
# Dev sets a change may be tuned on: ``--dev-half`` keeps one half of each (the same SHA-1 parity), so a
# change looked for on one half is judged on the other before it lands.
DEV_HALVED = ("planner-dev5", "planner-dev6", "planner-dev7", "planner-dev8", "planner-dev9", "planner-dev10",
              "planner-dev11", "planner-dev12", "planner-dev13", "planner-dev14", "planner-dev17", "heldout",
              "adjacent-dev", "trad-dev")
PLANNER_DEV = tuple(name for name in DEV_HALVED if name.startswith("planner-dev"))  # the planner-phrased ones
# Registered but not yet halved (the fresh dev set of the running round, added to DEV_HALVED after the round's
# landings): run only when named with --sets, so the default runs, and the hold figures the round's changes are
# judged on, stay those of the sets halved before it.
PENDING = ("planner-dev18", "planner-dev19", "planner-dev23g", "planner-dev23q", "planner-dev23p", "planner-dev26f", "planner-dev26c", "planner-dev26w",
           "english-eng27", "planner-dev27w", "planner-dev27r", "english-eng28", "planner-dev28q", "planner-dev28g")
# Pending sets a change of the running round is looked for on one half and judged on the other: named with --sets,
# ``--dev-half`` keeps that half of them too (``in_half``, as for ``DEV_HALVED``); no fit reads them.
PENDING_HALVED = ("planner-dev23g", "planner-dev23q", "planner-dev23p", "planner-dev26f", "planner-dev26c", "planner-dev26w",
                  "english-eng27", "planner-dev27w", "planner-dev27r", "english-eng28", "planner-dev28q", "planner-dev28g")
HALVES = ("look", "hold")
# An item whose id names its half (``…-dev``: look, ``…-hold``: hold; planner-dev23q's) is in that half.
_ID_HALVES = (("-dev", "look"), ("-hold", "hold"))


def in_half(item_id: str, half: str) -> bool:
    """True when the item ``item_id`` belongs to ``half``: the half its id ends with (``-dev``, ``-hold``), else the
    parity of the SHA-1 of its id."""
    named = next((name for suffix, name in _ID_HALVES if item_id.endswith(suffix)), None)
    if named is not None:
        return named == half
    return int(hashlib.sha1(item_id.encode()).hexdigest(), 16) % 2 == HALVES.index(half)


def _scripts(path: Path) -> dict[str, str]:
    """The ``script`` field (zh-Hans, zh-Hant, en) of each item of the evaluation file ``path``, by id."""
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {row["id"]: row.get("script", "unmarked") for row in rows}


# What each robustness run perturbs, and whether with the wrappings no fit trains on (``fresh_variants``):
# ``robust``/``robust-fresh`` the short dev, held-out and planner dev (of ``DEV_HALVED``) questions, ``robust-adjacent``/
# ``robust-adjacent-fresh`` the marketing-adjacent dev set (off-topic questions that share the guidebooks' words).
_SHORT = ("dev", "heldout", *PLANNER_DEV)
ROBUST = {"robust": (_SHORT, False), "robust-fresh": (_SHORT, True), "robust-adjacent": (("adjacent-dev",), False),
          "robust-adjacent-fresh": (("adjacent-dev",), True)}


def _robust_items(sets: tuple[str, ...], fresh: bool = False, half: str | None = None):  # type: ignore[no-untyped-def]
    from knowledge.evaluate import read_eval_file
    from tests.perturb import fresh_variants, variants

    base = [item for name in sets for item in read_eval_file(FILES[name])
            if not (half and name in DEV_HALVED) or in_half(item.id, half)]
    by_kind: dict[str, list] = {} if fresh else {"plain": list(base)}
    for index, item in enumerate(base):
        for kind, variant in (fresh_variants if fresh else variants)(item, index).items():
            by_kind.setdefault(kind, []).append(variant)
    return by_kind


def miss_kind(refused: bool, rank: int | None) -> str:
    """Where a missed in-scope answer stands: refused or answered from another passage (``wrong``), and the rank
    of the first passage holding the expected phrase (``@1``, ``@2-5``, ``@6-10``, ``@none``: not in the top 10)."""
    where = "none" if rank is None else "1" if rank == 1 else "2-5" if rank <= 5 else "6-10"
    return f"{'refused' if refused else 'wrong'}@{where}"


def _score(service, kb, items, show_misses: bool, breakdown: bool = False) -> str:  # type: ignore[no-untyped-def]
    from assistant.chat.evaluate import abstained
    from knowledge.evaluate import MRR_DEPTH, is_hit

    hits = refused_in = refused_out = n_in = n_out = 0
    passed_in = stopped_out = 0  # with a chat model: the relevance floor lets it see / keeps it from the question
    recall = mrr = 0.0
    times: list[float] = []
    kinds: dict[str, int] = {}
    for item in items:
        started = time.perf_counter()
        answer = service.ask(item.question)
        times.append(time.perf_counter() - started)
        if item.out_of_scope:
            n_out += 1
            refused_out += abstained(answer)
            stopped_out += not kb.search(item.question, MRR_DEPTH).plausible
            if show_misses and not abstained(answer):
                print(f"    ANSWERED OFF-TOPIC {item.id}: {item.question}")
            continue
        n_in += 1
        hit = bool(answer.citations) and is_hit(answer.answer, item.expect_any)
        hits += hit
        refused_in += abstained(answer)
        result = kb.search(item.question, MRR_DEPTH)
        passed_in += result.plausible
        passages = result.passages
        rank = next((i for i, p in enumerate(passages, 1) if is_hit(p.text, item.expect_any)), None)
        recall += rank is not None and rank <= 5
        mrr += 1.0 / rank if rank else 0.0
        if not hit:
            kind = miss_kind(abstained(answer), rank)
            kinds[kind] = kinds.get(kind, 0) + 1
        if show_misses and not hit:
            where = f"rank {rank}" if rank else "not in top 10"
            verdict = "REFUSED" if abstained(answer) else "MISSED"
            print(f"    {verdict} {item.id} ({where}): {item.question}\n        {answer.answer[:160]!r}")
    line = ""
    if n_in:
        line += (f"hit {hits / n_in:.3f} ({hits}/{n_in})  wrong refusals {refused_in / n_in:.3f}  "
                 f"recall@5 {recall / n_in:.3f}  MRR@10 {mrr / n_in:.3f}  with a model: reach it {passed_in / n_in:.3f}  ")
    if n_out:
        line += f"off-topic refused {refused_out / n_out:.3f} ({refused_out}/{n_out}), kept from a model {stopped_out}/{n_out}  "
    line += f"p50 {statistics.median(times) * 1000:.1f} ms"
    if breakdown and kinds:
        line += "\n    misses: " + ", ".join(f"{kind} {kinds[kind]}" for kind in sorted(kinds))
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*",
                        default=[*(n for n in FILES if n not in SEALED and n not in PENDING), *ROBUST])
    parser.add_argument("--misses", nargs="*", default=[],
                        help="sets whose misses to print (of the older frozen planner sets only with --half look)")
    parser.add_argument("--half", choices=HALVES, help="only this half of each older frozen planner set")
    parser.add_argument("--dev-half", choices=HALVES, help="only this half of each dev set in DEV_HALVED "
                        "(also inside the robust runs)")
    parser.add_argument("--breakdown", action="store_true", help="also where the misses stand (refused or answered "
                        "from another passage; the expected passage's rank), aggregates only")
    parser.add_argument("--by-script", action="store_true", help="also the figures per script of each set (aggregates only)")
    args = parser.parse_args()
    from knowledge.evaluate import read_eval_file
    from tests.bench.offline import offline_chat

    _, kb, service = offline_chat()
    service.ask("活动预算一般包括哪些费用?")  # warm caches
    for name in args.sets:
        show = (name in args.misses and (name not in FROZEN or (args.half == "look" and name in OLDER))
                and not (args.dev_half == "hold" and (name in DEV_HALVED or name in PENDING_HALVED or name in ROBUST)))
        if name in ROBUST:
            for kind, items in _robust_items(*ROBUST[name], half=args.dev_half).items():
                print(f"{name}/{kind:8} {_score(service, kb, items, show)}", flush=True)
            continue
        items = read_eval_file(FILES[name])
        if args.half and name in OLDER:
            items = [i for i in items if in_half(i.id, args.half)]
        if args.dev_half and name in (*DEV_HALVED, *PENDING_HALVED):
            items = [i for i in items if in_half(i.id, args.dev_half)]
        print(f"{name:15} {_score(service, kb, items, show, args.breakdown)}", flush=True)
        if args.by_script:
            scripts = _scripts(FILES[name])
            for script in sorted(set(scripts.values())):
                part = [i for i in items if scripts[i.id] == script]
                print(f"  {script:13} {_score(service, kb, part, False)}", flush=True)


if __name__ == "__main__":
    main()
