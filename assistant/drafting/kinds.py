"""Campaign kinds (kinds.yaml): which kind a brief is, and what a plan of that kind spends on, offers,
guards against and looks up — with the brief's own mechanics (mechanics.yaml) first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from assistant.briefs.entities import Term, find_terms, term_named
from core.plan import Brief
from core.text.scripts import to_simplified

_HERE = Path(__file__).parent
KIND_NAMES = ("ecommerce", "stores", "community", "event", "b2b", "service", "annual", "promotion")
_OFFLINE = ("channel-store", "channel-event", "channel-b2b")


@dataclass(frozen=True)
class CostLine:
    """A budget line a kind (or a mechanic) needs: item and note in Chinese and English, a weight."""

    item: str
    item_en: str
    note: str
    note_en: str
    weight: int
    condition: str = ""


@lru_cache(maxsize=1)
def _kinds_data() -> dict[str, Any]:
    return yaml.safe_load((_HERE / "kinds.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def _mechanics_data() -> dict[str, Any]:
    return yaml.safe_load((_HERE / "mechanics.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _line(data: dict[str, Any]) -> CostLine:
    return CostLine(data["item"]["zh"], data["item"]["en"], data["note"]["zh"], data["note"]["en"],
                    int(data["weight"]), str(data.get("if", "")))


def brief_terms(brief: Brief) -> list[Term]:
    """The vocabulary terms (mechanics and channels) the brief names, in order, without repeats."""
    found: list[Term] = []
    for text in [*brief.mechanics, *brief.channels, brief.title, brief.product]:
        if not text:
            continue
        term = term_named(to_simplified(text))
        terms = [term] if term is not None else [m.term for m in find_terms(to_simplified(text))]
        for t in terms:
            if t not in found:
                found.append(t)
    return found


def choose_kind(brief: Brief) -> str:
    """The campaign kind for ``brief``: its own ``kind`` when set, else the kind whose cues its mechanics,
    channels and title name most (an annual plan when it spans half a year or more; a short
    campaign at a venue is an event)."""
    if brief.kind in KIND_NAMES:
        return brief.kind
    days = (brief.end - brief.start).days + 1 if brief.start and brief.end else 0
    title = to_simplified(" ".join((brief.title, brief.product)))
    yearly = re.search(r"年度(?:营销|品牌|推广|市场|销售)?(?:规划|计划)|annual (?:marketing )?plan", title.lower())
    if days >= 180 or (yearly and days >= 60):  # 「年度会员日」 for three days is a member day, not an annual plan
        return "annual"
    scores = dict.fromkeys(KIND_NAMES, 0.0)
    for term in brief_terms(brief):
        for kind, data in _kinds_data()["kinds"].items():
            cues = data.get("cues") or {}
            scores[kind] += float(cues.get(term.name, 0)) + float(cues.get(term.kind, 0))
    if any(w in title for w in ("售后", "服务月", "维修", "保养服务", "after-sales")):
        scores["service"] += 3
    if any(w in title for w in ("年会", "发布会", "答谢", "快闪", "展会", "灯会", "路演")):
        scores["event"] += 3
    if 0 < days <= 3 and any(t.kind in ("channel-store", "channel-event") for t in brief_terms(brief)):
        scores["event"] += 1
    best = max(scores, key=lambda k: (scores[k], -KIND_NAMES.index(k)))
    return best if scores[best] > 0 else "promotion"


def kind_name(kind: str, english: bool = False) -> str:
    """The kind's name for a plan ('电商大促' / 'e-commerce campaign')."""
    return str(_kinds_data()["kinds"][kind]["name"]["en" if english else "zh"])


def kind_template(kind: str, brief: Brief | None = None) -> str:
    """The plan template a draft of ``kind`` follows (kinds.yaml ``template``); a campaign longer than the
    kind's ``template_days`` follows ``long_template`` instead (a nine-day anniversary sale with a
    community stall is a promotion, not an event plan with a programme)."""
    data = _kinds_data()["kinds"][kind]
    days = (brief.end - brief.start).days + 1 if brief and brief.start and brief.end else 0
    if days and days > int(data.get("template_days") or 10**6):
        return str(data.get("long_template") or "promotion")
    return str(data.get("template") or "promotion")


def template_for(brief: Brief) -> str:
    """The plan template a draft of ``brief`` follows: its campaign kind's."""
    return kind_template(choose_kind(brief), brief)


def kind_lines(kind: str, key: str, english: bool = False) -> list[str]:
    """Lines a kind says for one part of a plan (kinds.yaml, e.g. ``partners``: who a dealer programme is
    for); [] when the kind says nothing."""
    value = _kinds_data()["kinds"][kind].get(key) or {}
    return [str(line) for line in value.get("en" if english else "zh", [])]


def kind_label(kind: str, key: str, default: str, english: bool = False) -> str:
    """A label the kind names its own way (``offer_label``: 渠道政策 for dealers), else ``default``."""
    value = _kinds_data()["kinds"][kind].get(key) or {}
    return str(value.get("en" if english else "zh") or default)


def kind_terms(kind: str) -> str:
    """Words that steer retrieval toward the guidebook passages this kind of campaign needs."""
    return str(_kinds_data()["kinds"][kind]["terms"]["zh"])


def section_terms(kind: str, section_kind: str) -> str:
    """What a plan of ``kind`` looks up for a section of ``section_kind`` ('' when the kind says nothing)."""
    return str((_kinds_data()["kinds"][kind].get("queries") or {}).get(section_kind, ""))


def is_offline(brief: Brief) -> bool:
    """True when the brief names stores, venues, outreach or dealers (things that need people on site)."""
    return any(t.kind in _OFFLINE for t in brief_terms(brief))


def cost_lines(kind: str, brief: Brief) -> list[CostLine]:
    """The budget lines for ``kind``: the brief's mechanics' own lines first (trade-in subsidy, samples,
    prizes), then the kind's lines that fit the brief, then the contingency reserve."""
    data = _kinds_data()
    lines: list[CostLine] = []
    for term in brief_terms(brief):
        mechanic = _mechanics_data().get(term.name) or {}
        if "budget" in mechanic:
            line = _line(mechanic["budget"])
            if line.item not in [x.item for x in lines]:
                lines.append(line)
    offline = is_offline(brief)
    for raw in data["kinds"][kind]["budget"]:
        line = _line(raw)
        if line.condition == "offline" and not offline:
            continue
        if line.item not in [x.item for x in lines]:
            lines.append(line)
    lines.append(_line(data["contingency"]))
    return lines


def mechanics(kind: str, brief: Brief, english: bool = False) -> list[str]:
    """How the plan applies each mechanic: the brief's own first (with the numbers the planner wrote:
    满300减50), then the kind's usual ones (never a pre-sale for a campaign of three days or less), four
    at most."""
    days = (brief.end - brief.start).days + 1 if brief.start and brief.end else 0
    written = {name: line for text in brief.mechanics for name, line in _mechanic_lines(text, english)}
    names = [t.name for t in brief_terms(brief) if not t.is_channel]
    for name in _kinds_data()["kinds"][kind]["mechanics"]:
        if name not in names and not (name == "预售" and days <= 3):
            names.append(name)
    out: list[str] = []
    for name in names:
        how = (_mechanics_data().get(name) or {}).get("how")
        if name in written:
            out.append(written[name])
        elif how:
            out.append(str(how["en" if english else "zh"]))
    return out[:max(4, len([t for t in brief_terms(brief) if not t.is_channel]))]


def _mechanic_lines(text: str, english: bool) -> list[tuple[str, str]]:
    """(canonical name, how the plan applies it) for each mechanic ``text`` names, in order."""
    out: list[tuple[str, str]] = []
    lowered = to_simplified(text).lower()
    for mention in find_terms(lowered):
        if mention.term.is_channel:
            continue
        how = (_mechanics_data().get(mention.term.name) or {}).get("how")
        line = str(how["en" if english else "zh"]) if how else (mention.term.english if english else mention.term.name)
        written = lowered[mention.pos:mention.end]
        if not english and written not in (mention.term.name, *mention.term.forms):
            # Written by its numbers (满300减50, 8.8折): the planner's numbers, then how the plan applies it.
            name, _, rest = line.partition(":")
            line = f"{name}:{written}" + (f";{rest}" if rest else "")
        if line not in [x for _, x in out]:
            out.append((mention.term.name, line))
    return out


def mechanic_lines(text: str, english: bool = False) -> list[str]:
    """How a plan applies each mechanic ``text`` names (「加个抽奖」 → 「抽奖:消费满额参与抽奖,…」;
    「加个满300减50」 → 「满减:满300减50;…」), in order."""
    return [line for _, line in _mechanic_lines(text, english)]


def risks(kind: str, brief: Brief, english: bool = False) -> list[str]:
    """The risks a plan of ``kind`` guards against, with the brief's mechanics' own risks first."""
    lang = "en" if english else "zh"
    out: list[str] = []
    for term in brief_terms(brief):
        risk = (_mechanics_data().get(term.name) or {}).get("risk")
        if risk:
            out.append(str(risk[lang]))
    table = _kinds_data()["risks"]
    out.extend(str(table[key][lang]) for key in _kinds_data()["kinds"][kind]["risks"])
    return list(dict.fromkeys(out))[:6]


def term_label(term: Term, english: bool) -> str:
    """A term as a plan names it: its English name in English, its canonical name in Chinese."""
    return term.english if english else term.name


__all__ = ["KIND_NAMES", "CostLine", "brief_terms", "choose_kind", "cost_lines", "is_offline", "kind_name",
           "kind_label", "kind_lines", "kind_template", "kind_terms", "template_for", "mechanic_lines", "mechanics", "risks", "section_terms", "term_label"]
