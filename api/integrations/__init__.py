"""Chat-platform adapters (Slack, Feishu/Lark, DingTalk, WeCom) onto the chat and drafting services.

``router`` mounts every adapter under ``/integrations/<platform>/events``. Each verifies its
platform's signature (401 and nothing else when it does not match), acknowledges at once and replies
in the thread from a small background pool through a ``Responder``: a plan request (「帮我做个…方案」,
"draft a plan ...") is drafted, stored and summarised with the validators' findings; anything else is
answered from the guidebooks with numbered sources. An unconfigured platform answers 503 naming the
settings to set.

Setting up (environment of ``cehua serve``)::

    Slack     Request URL  https://HOST/integrations/slack/events   (Events API: app_mention, message.im)
              CEHUA_SLACK_SIGNING_SECRET, CEHUA_SLACK_BOT_TOKEN (scope chat:write)
    Feishu    Request URL  https://HOST/integrations/feishu/events  (event im.message.receive_v1, schema 2.0)
              CEHUA_FEISHU_APP_ID, CEHUA_FEISHU_APP_SECRET, CEHUA_FEISHU_VERIFICATION_TOKEN and/or
              CEHUA_FEISHU_ENCRYPT_KEY
    DingTalk  outgoing robot message URL  https://HOST/integrations/dingtalk/events
              CEHUA_DINGTALK_APP_SECRET
    WeCom     app callback URL  https://HOST/integrations/wecom/events  (GET check and POST messages)
              CEHUA_WECOM_TOKEN, CEHUA_WECOM_ENCODING_AES_KEY, CEHUA_WECOM_CORP_ID,
              CEHUA_WECOM_CORP_SECRET, CEHUA_WECOM_AGENT_ID

Every platform: CEHUA_PUBLIC_URL (https://HOST), so a plan's file ('导出word') is a link the thread can open;
without it the reply gives the file's path on the server and says how to use it.

Outbound API bases (``CEHUA_SLACK_API_BASE``, ``CEHUA_FEISHU_API_BASE``, ``CEHUA_WECOM_API_BASE``,
``CEHUA_DINGTALK_WEBHOOK_BASE``) default to the platforms' public endpoints; tests point them at a
fake platform on loopback.
"""

from fastapi import APIRouter

from api.integrations import dingtalk, feishu, slack, wecom
from api.integrations.common import Responder, stop_replies, strip_mentions, wants_plan
from api.integrations.respond import AssistantResponder

router = APIRouter()
for _module in (slack, feishu, dingtalk, wecom):
    router.include_router(_module.router)

__all__ = ["AssistantResponder", "Responder", "router", "stop_replies", "strip_mentions", "wants_plan"]
