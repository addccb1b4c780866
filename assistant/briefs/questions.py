"""What a planner is asked when a brief lacks its essentials: the campaign named as far as the brief knows it
(its product, occasion and offer mechanic, as the planner wrote them), the essentials still missing, and the
product and the mechanic when the brief names none (asked, never required: a plan is drafted without them)."""

from __future__ import annotations

from assistant import script_boundary
from core.plan import Brief
from core.text.lists import listed
from core.text.scripts import to_simplified

# Asked for besides the essentials when the brief names none of it.
OPTIONAL = ("product", "mechanic")

# Chinese is written in Simplified and leaves in the brief's script through the boundary (the planner's own
# words quoted back as written).
_NAMES = {
    "zh": {"budget": "预算", "start": "开始日期", "end": "结束日期"},
    "en": {"budget": "the budget", "start": "the start date", "end": "the end date"},
}
_QUESTION = {
    "zh": "还缺少{fields}:请问{asks}?例如「预算30万,12月10日到12月20日」。",
    "en": "I still need {fields}: {asks}? For example \"budget 300k, Dec 10 to Dec 20\".",
}
_ASKS = {
    "zh": {"budget": "总预算是多少", "start": "活动哪天开始", "end": "活动哪天结束"},
    "en": {"budget": "what is the total budget", "start": "when does the campaign start",
           "end": "when does it end"},
}
# The campaign as far as the brief knows it, opening the ask-back (「你们的手冲咖啡豆双十二满减活动:」).
_CAMPAIGN = {"zh": "你们的{words}活动:",
             "en": "The {words}campaign{product}: "}
# The product and mechanic asked for when the brief names none; the draft does not wait for them.
_OPTIONAL_ASKS = {
    "zh": {"product": "卖的是什么产品", "mechanic": "打算用什么优惠玩法(比如满减、买赠、秒杀)"},
    "en": {"product": "what are you selling", "mechanic": "which offer do you have in mind (e.g. spend-and-save, "
                                                         "gift with purchase, flash sale)"},
}
_OPTIONAL_QUESTION = {"zh": "另外,{asks}?没想好也可以先不说。",
                      "en": "Also, {asks}? Fine to leave it open if undecided."}


def asked(brief: Brief, missing: list[str] | None = None) -> list[str]:
    """What an ask-back asks for: ``missing`` (default: the brief's missing essentials), then the product and the
    mechanic the brief names none of; [] when no essential is missing (nothing is asked then)."""
    missing = brief.missing() if missing is None else missing
    if not missing:
        return []
    given = {"product": brief.product, "mechanic": brief.mechanics}
    return [*missing, *(name for name in OPTIONAL if not given[name])]


def _lang(script: str) -> str:
    return "en" if script == "en" else "zh"


def campaign_named(brief: Brief, script: str) -> str:
    """The opening that names the campaign by what the brief knows — its product, occasion and mechanics as the
    brief gives them, in Simplified for a Chinese ``script`` (converted where it leaves) (「你们的手冲咖啡豆双十二满减活动:」, "The Double 11 buy-one-get-one campaign for your
    pour-over coffee beans: "); '' when it knows none of them."""
    mechanics = listed(brief.mechanics[:2], english=script == "en")
    if script == "en":
        words = "".join(f"{w} " for w in (brief.occasion, mechanics) if w)
        product = f" for your {brief.product}" if brief.product else ""
        return _CAMPAIGN["en"].format(words=words, product=product) if words or product else ""
    words = to_simplified("".join(w for w in (brief.product, brief.occasion, mechanics) if w))
    return _CAMPAIGN["zh"].format(words=words) if words else ""


def optional_question(brief: Brief, script: str, missing: list[str] | None = None) -> str:
    """Asking for the product and the mechanic the brief does not name ('' when it names both)."""
    wanted = [name for name in asked(brief, missing) if name in OPTIONAL]
    if not wanted:
        return ""
    key = _lang(script)
    asks = ("; " if key == "en" else ",").join(_OPTIONAL_ASKS[key][name] for name in wanted)
    return _OPTIONAL_QUESTION[key].format(asks=asks)


def missing_question(brief: Brief, missing: list[str] | None = None) -> str:
    """The question asking for ``missing`` (default: the brief's missing essentials) in the brief's
    script, naming the campaign as far as it is known and asking for a product or mechanic it lacks;
    '' when nothing is missing."""
    missing = brief.missing() if missing is None else missing
    if not missing:
        return ""
    script, lang = brief.script, _lang(brief.script)
    sep = ", " if script == "en" else "、"
    ask_sep = "; " if script == "en" else ","
    fields = sep.join(_NAMES[lang].get(m, m) for m in missing)
    asks = ask_sep.join(_ASKS[lang].get(m, m) for m in missing)
    extra = optional_question(brief, script, missing)
    question = _QUESTION[lang].format(fields=fields, asks=asks)
    text = campaign_named(brief, script) + question + (" " if script == "en" and extra else "") + extra
    return script_boundary.text(text, script, script_boundary.own_words(brief.product, *brief.mechanics))


__all__ = ["OPTIONAL", "asked", "campaign_named", "missing_question", "optional_question"]
