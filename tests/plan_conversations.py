"""Scripted planning conversations and the per-turn judge, shared by the tests and the benchmark.

A conversation is sent turn by turn to ``POST /v1/chat`` (any client with ``post``/``get`` that
returns httpx-like responses); each turn is judged against its expectations the way the held-out
conversations are: ``missing`` when essentials are missing, the brief's budget/dates/channels as said,
an ask-back naming the product and mechanic already given (``asks_names``) and asking for them when not
(``asks_for``/``asks_not``, read from the reply's ``asked``), words a reply names (``answer_names``), the plan's
currency (``currency``), a new version with a change list for each edit, the stored version's budget table adding up to the
brief's budget, no error finding, undo restoring the previous brief, the plan in the planner's script.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
_ROLES = {"prepare": ("筹备", "準備", "准备", "prepar"), "warmup": ("预热", "預熱", "warm"),
          "execute": ("执行", "執行", "execut"), "wrapup": ("总结", "總結", "复盘", "wrap")}


def conversations(split: str | None = None) -> list[dict[str, Any]]:
    """The scripted conversations of every plan_conversations*.json (``split`` 'dev', 'test', 'dev23', …;
    None: all of them), plus plan_dev.json as a dev one."""
    given = json.loads((DATA / "plan_dev.json").read_text(encoding="utf-8"))
    found = [{"id": "plan_dev", "split": "dev", "today": given["today"], "turns": given["turns"]}]
    for path in sorted(DATA.glob("plan_conversations*.json")):
        found += json.loads(path.read_text(encoding="utf-8"))["conversations"]
    ids = [c["id"] for c in found]
    doubled = sorted({i for i in ids if ids.count(i) > 1})
    if doubled:
        raise ValueError(f"conversation ids {doubled} are used twice in {DATA}/plan_conversations*.json: rename one")
    return [c for c in found if split is None or c["split"] == split]


def splits() -> list[str]:
    """Every split the conversations name, in the order they first appear."""
    return list(dict.fromkeys(c["split"] for c in conversations()))


@dataclass
class TurnResult:
    conversation: str
    index: int
    say: str
    passed: bool
    problems: list[str] = field(default_factory=list)


def _simplified(text: str) -> str:
    from core.text.scripts import to_simplified

    return to_simplified(text)


def _share(version: dict[str, Any], name: str) -> float | None:
    """The share of the budget line named ``name`` (宣传推广 is also 'Advertising and promotion' in an
    English plan: the budget category's English name), else of the lines of the cost category it names."""
    from assistant.drafting.budget import CATEGORIES, CONTINGENCY
    from assistant.planning.operations import line_category

    categories = [c for c in (*CATEGORIES, CONTINGENCY) if _simplified(name) in c.item]
    names = [_simplified(name), *(c.item_en for c in categories)]
    plan = version["plan"]
    total = plan.get("budget_total") or sum(line["amount"] for line in plan["budget_lines"])
    if not total:
        return None
    for line in plan["budget_lines"]:
        if any(n in _simplified(line["item"]) for n in names):
            return float(line["amount"]) / float(total)
    # No line carries the name: a kind's own lines of that cost category (平台与信息流投放 and 达人与直播合作
    # are 宣传推广), together.
    keys = {c.key for c in categories}
    amounts = [line["amount"] for line in plan["budget_lines"] if keys and line_category(line["item"]) in keys]
    return float(sum(amounts)) / float(total) if amounts else None


def _concept(name: str) -> str:
    """The channel ``name`` stands for: its vocabulary concept (小红书, Xiaohongshu and rednote are one), else the
    name itself in Simplified lower case (WeChat is wechat)."""
    from assistant.briefs.entities import term_named

    simplified = _simplified(name).casefold()
    term = term_named(simplified)
    return term.name if term is not None else simplified


def _phase_days(version: dict[str, Any], role: str) -> int | None:
    import datetime as dt

    for phase in version["plan"]["phases"]:
        if any(cue in _simplified(phase["name"]).lower() for cue in _ROLES[role]) and phase["start"] and phase["end"]:
            return (dt.date.fromisoformat(phase["end"]) - dt.date.fromisoformat(phase["start"])).days + 1
    return None


def judge_turn(client: Any, body: dict[str, Any], expect: dict[str, Any], last_plan: dict[str, Any] | None,
               status: int) -> list[str]:
    """What is wrong with one turn's response ``body`` (empty when it passes)."""
    problems: list[str] = []
    if status != 200:
        return [f"HTTP {status}: {str(body)[:200]}"]
    if "missing_includes" in expect:
        missing = body.get("missing") or []
        for name in expect["missing_includes"]:
            if name not in missing:
                problems.append(f"missing {missing} lacks {name}")
        if body.get("plan"):
            problems.append("drafted although essentials were missing")
    answer = body.get("answer") or ""
    for names in [*expect.get("asks_names", []), *expect.get("answer_names", [])]:
        # What the ask-back (asks_names) or any reply (answer_names: 「币种改为美元」) must name as written (a list:
        # any one of these wordings).
        wordings = [names] if isinstance(names, str) else names
        if not any(w.casefold() in answer.casefold() for w in wordings):
            problems.append(f"ask-back does not name {wordings[0]!r}: {answer[:120]}")
    asked = body.get("asked") or []
    for name in expect.get("asks_for", []):
        if name not in asked:
            problems.append(f"ask-back does not ask for the {name} (asked {asked})")
    for name in expect.get("asks_not", []):
        if name in asked:
            problems.append(f"ask-back asks for the {name}, already given")
    if expect.get("grounded") and not body.get("grounded"):
        problems.append("answer not grounded")
    if expect.get("export") and not body.get("export"):
        problems.append(f"no export link: {str(body.get('answer', ''))[:120]}")
    if "answer_script" in expect:
        import re

        from core.text.scripts import detect_script, to_simplified, to_traditional, writing_script

        # A link's Latin letters, the plan's quoted title, the guidebooks' section names and the passages an
        # offline English reply quotes in Chinese ("… (quoted in Chinese; …): 通过…") are not the reply's own words.
        prose = re.split(r"\(quoted in Chinese", body.get("answer") or "")[0]
        prose = re.sub(r"(?:https?://[\w.:-]+)?/v1/[\w./?=&%-]*|《[^》]*》|「[^」]*」|\"[^\"]*\"|“[^”]*”", " ", prose)
        script = writing_script(prose)
        if script != "en" and to_simplified(prose) == prose and to_traditional(prose) == prose:
            script = detect_script(re.sub(r"(?:https?://[\w.:-]+)?/v1/\S*", " ", body.get("answer") or ""))
        if script != expect["answer_script"]:  # its own words say nothing: read by the quoted title
            problems.append(f"reply not in {expect['answer_script']}: {str(body.get('answer', ''))[:80]}")
    if expect.get("no_plan") and body.get("plan"):
        problems.append("the plan changed on a question")
    if expect.get("plan_unchanged") and body.get("plan") and (
            last_plan is None or (body["plan"]["id"], body["plan"]["version"]) != (last_plan["id"], last_plan["version"])):
        # A reply may show the plan as it was (an edit that changed nothing says why); no new version is made.
        problems.append("the plan changed")
    want = expect.get("plan")
    if want is None:
        return problems
    plan = body.get("plan")
    if not plan:
        return [*problems, f"no plan in the reply: {body.get('answer', '')[:120]}"]
    brief = plan["brief"]
    version_url = f"/v1/plans/{plan['id']}/versions/{plan['version']}"
    stored = client.get(version_url)
    if stored.status_code != 200:
        return [*problems, f"{version_url}: HTTP {stored.status_code}"]
    version = stored.json()
    if want.get("version_up"):
        if last_plan is None or plan["id"] != last_plan["id"] or plan["version"] <= last_plan["version"]:
            problems.append("no new version")
        if not plan.get("changes"):
            problems.append("no change list")
    if "budget" in want and brief.get("budget") != want["budget"]:
        problems.append(f"budget {brief.get('budget')} != {want['budget']}")
    for name in ("start", "end"):
        if name in want and brief.get(name) != want[name]:
            problems.append(f"{name} {brief.get(name)} != {want[name]}")
    channels = [_concept(c) for c in brief.get("channels", [])]
    for name in want.get("channels_include", []):
        if _concept(name) not in channels:
            problems.append(f"channels {brief.get('channels')} lack {name}")
    for name in want.get("channels_not", []):
        if _concept(name) in channels:
            problems.append(f"channels {brief.get('channels')} still have {name}")
    if "brand_contains" in want and want["brand_contains"] not in (brief.get("brand") or "") + (brief.get("title") or ""):
        problems.append(f"brand {brief.get('brand')!r} lacks {want['brand_contains']}")
    if "product_contains" in want and _simplified(want["product_contains"]) not in _simplified(brief.get("product") or ""):
        problems.append(f"product {brief.get('product')!r} lacks {want['product_contains']}")
    for word in want.get("product_not", []):
        if _simplified(word).lower() in _simplified(brief.get("product") or "").lower():
            problems.append(f"product {brief.get('product')!r} is {word!r}, a topic asked about, not what is sold")
    if "audience_contains" in want and _simplified(want["audience_contains"]) not in _simplified(brief.get("audience") or ""):
        problems.append(f"audience {brief.get('audience')!r} lacks {want['audience_contains']}")
    if "currency" in want and (version["plan"].get("currency") or "CNY") != want["currency"]:
        problems.append(f"plan currency {version['plan'].get('currency')} != {want['currency']}")
    if "script" in want and brief.get("script") != want["script"]:
        problems.append(f"script {brief.get('script')} != {want['script']}")
    for name, share in want.get("share", {}).items():
        got = _share(version, name)
        if got is None or abs(got - share) > 0.005:
            problems.append(f"share of {name} {got} != {share}")
    for name, share in want.get("share_not", {}).items():
        got = _share(version, name)
        if got is not None and abs(got - share) <= 0.005:
            problems.append(f"share of {name} still {got}")
    for role, days in want.get("phase_days", {}).items():
        got = _phase_days(version, role)
        if got != days:
            problems.append(f"{role} phase lasts {got} days, not {days}")
    titles = [_simplified(c["title"]) for c in version["plan"]["chapters"]]
    if "chapter_absent" in want and any(_simplified(want["chapter_absent"]) in t for t in titles):
        problems.append(f"chapter {want['chapter_absent']} still there")
    if "chapter_present" in want and not any(_simplified(want["chapter_present"]) in t for t in titles):
        problems.append(f"no chapter {want['chapter_present']}")
    lines = version["plan"]["budget_lines"]
    total = sum(line["amount"] for line in lines)
    if brief.get("budget") is not None and abs(total - brief["budget"]) > 0.5:
        problems.append(f"budget table adds up to {total}, brief says {brief['budget']}")
    if want.get("no_errors"):
        errors = [f["code"] for f in plan.get("findings", []) if f["severity"] == "error"]
        if errors:
            problems.append(f"error findings {errors}")
    return problems


def run_conversation(client: Any, conversation: dict[str, Any]) -> list[TurnResult]:
    """Every turn of ``conversation`` through POST /v1/chat, judged (CEHUA_TODAY must already be set)."""
    results: list[TurnResult] = []
    conversation_id: str | None = None
    last_plan: dict[str, Any] | None = None
    for i, turn in enumerate(conversation["turns"]):
        response = client.post("/v1/chat", json={"question": turn["say"], "conversation_id": conversation_id})
        try:
            body = response.json()
        except ValueError:
            body = {"raw": response.text}
        problems = judge_turn(client, body, turn["expect"], last_plan, response.status_code)
        if response.status_code == 200:
            conversation_id = body.get("conversation") or conversation_id
            if body.get("plan"):
                last_plan = body["plan"]
        results.append(TurnResult(conversation["id"], i + 1, turn["say"], not problems, problems))
    return results
