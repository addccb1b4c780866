"""Chat-platform adapters (Slack, Feishu/Lark, DingTalk, WeCom) onto the chat and drafting services.

``router`` mounts every adapter under ``/integrations/<platform>/events``. Each verifies its
platform's signature, answers within the platform's deadline and replies in the thread from a
background task through a ``Responder``.
"""

from fastapi import APIRouter

from api.integrations import dingtalk, feishu, slack, wecom
from api.integrations.common import Responder, strip_mentions, wants_plan
from api.integrations.respond import AssistantResponder

router = APIRouter()
for _module in (slack, feishu, dingtalk, wecom):
    router.include_router(_module.router)

__all__ = ["AssistantResponder", "Responder", "router", "strip_mentions", "wants_plan"]
