"""What a chat message asks for (a plan or an answer), with bot mentions removed, and replies cut to fit."""

from __future__ import annotations

import re

#: Longest reply we post; Slack truncates at 40k, DingTalk/WeCom text at ~2k-4k bytes per message.
MAX_REPLY_CHARS = 3500

_MENTION_PATTERNS = (
    re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>"),  # Slack: <@U024BE7LH> or <@U024BE7LH|bot>
    re.compile(r"@_user_\d+"),  # Feishu: placeholders listed in message.mentions
    re.compile(r"<at[^>]*>.*?</at>", re.S),  # Feishu rich text / card mentions
    re.compile(r"(?:(?<=\s)|^)@[^\s@]{1,32}(?:\s|$)"),  # DingTalk / WeCom: "@策划助手 " typed in the text
)

_PLAN_NOUN = re.compile(r"方案|策划案|策劃案|企划|企劃|计划书|計劃書|策划书|策劃書|\bplans?\b|\bproposal\b", re.I)
_PLAN_VERB = re.compile(
    r"做|写|寫|出一份|出个|出個|起草|拟|擬|制定|製定|设计|設計|规划|規劃|生成|"
    r"\b(?:draft|write|make|create|prepare|build|generate|put together)\b",
    re.I,
)
_EXPLICIT_ASK = re.compile(
    r"帮我|幫我|请帮|請幫|给我|給我|替我|麻烦|麻煩|\b(?:please|can you|could you|help me)\b", re.I
)
_QUESTION_WORD = re.compile(
    r"怎么|怎麼|怎样|怎樣|如何|什么|什麼|为什么|為什麼|哪些|哪个|哪個|是否|吗|嗎|呢|[?？]|"
    r"\b(?:how|what|why|which|when|should|does|is)\b",
    re.I,
)


def strip_mentions(text: str) -> str:
    """The message with bot mentions removed and whitespace collapsed."""
    for pattern in _MENTION_PATTERNS:
        text = pattern.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def wants_plan(text: str) -> bool:
    """True when the message asks Cehua to draft a plan rather than answer a question.

    A plan noun plus a making verb is a request ("帮我做个中秋促销方案", "draft a plan for ...");
    a question about plans ("促销方案应该包括哪些部分？", "how do I write a plan?") is not,
    unless it is an explicit ask ("帮我写个方案好吗？", "can you draft a plan?").
    """
    if not _PLAN_NOUN.search(text) or not _PLAN_VERB.search(text):
        return False
    return bool(_EXPLICIT_ASK.search(text)) or not _QUESTION_WORD.search(text)


def clip(text: str, limit: int = MAX_REPLY_CHARS) -> str:
    """``text`` cut to ``limit`` characters, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


__all__ = ["MAX_REPLY_CHARS", "clip", "strip_mentions", "wants_plan"]
