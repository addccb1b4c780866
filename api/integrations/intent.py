"""What a chat message asks for (a plan or an answer), with bot mentions removed, and replies cut to fit."""

from __future__ import annotations

import re

from assistant.planning.intents import wants_plan

#: Longest reply we post; Slack truncates at 40k, DingTalk/WeCom text at ~2k-4k bytes per message.
MAX_REPLY_CHARS = 3500

_MENTION_PATTERNS = (
    re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>"),  # Slack: <@U024BE7LH> or <@U024BE7LH|bot>
    re.compile(r"@_user_\d+"),  # Feishu: placeholders listed in message.mentions
    re.compile(r"<at[^>]*>.*?</at>", re.S),  # Feishu rich text / card mentions
    re.compile(r"(?:(?<=\s)|^)@[^\s@]{1,32}(?:\s|$)"),  # DingTalk / WeCom: "@策划助手 " typed in the text
)

def strip_mentions(text: str) -> str:
    """The message with bot mentions removed and whitespace collapsed."""
    for pattern in _MENTION_PATTERNS:
        text = pattern.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def clip(text: str, limit: int = MAX_REPLY_CHARS) -> str:
    """``text`` cut to ``limit`` characters, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


__all__ = ["MAX_REPLY_CHARS", "clip", "strip_mentions", "wants_plan"]
