"""What Cehua says around an answer (lead-ins, abstentions, labels): Simplified or English; the chat
service shows it in the asker's script (``assistant/script_boundary.py``), quoting ``WRITTEN``."""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.errors import ModelError
from core.text.lists import listed
from core.text.scripts import Script

# Fixed wording in both scripts, written out: converting with OpenCC gets some words wrong (回答 → 迴答), so
# the Traditional forms are quoted as written when the answer is shown in Traditional.
_TEXT = {
    "lead_in": ("根据指南原文：", "根據指南原文："),
    "abstain": ("指南中没有涉及这个问题的内容，无法根据指南回答。", "指南中沒有涉及這個問題的內容，無法根據指南回答。"),
    "covers": ("指南涵盖的主题包括：", "指南涵蓋的主題包括："),
    "related": ("指南中相关的章节有：", "指南中相關的章節有："),
    "failed": ("（模型暂时无法回答：{reason}。以下为离线检索的指南原文。）\n",
               "（模型暫時無法回答：{reason}。以下為離線檢索的指南原文。）\n"),
    "broke_off": ("\n\n（模型回答中断：{reason}。以下为离线检索的指南原文。）\n",
                  "\n\n（模型回答中斷：{reason}。以下為離線檢索的指南原文。）\n"),
    "other_occasion": ("（注：以下原文讲的是{source}，可参照用于{asked}。）", "（註：以下原文講的是{source}，可參照用於{asked}。）"),
    "sample_blanks": ("（注：引文出自范例方案，{blanks}是留待填写的空白，请换成你们自己的日期、名称或地点。）",
                      "（註：引文出自範例方案，{blanks}是留待填寫的空白，請換成你們自己的日期、名稱或地點。）"),
    # Why the model failed, for a reader of Chinese (the English message that names the fix is for the log).
    "model_rate_limited": ("模型服务繁忙（限流），请稍后再试", "模型服務繁忙（限流），請稍後再試"),
    "model_key_rejected": ("模型服务拒绝了密钥，请管理员检查 OPENAI_API_KEY", "模型服務拒絕了密鑰，請管理員檢查 OPENAI_API_KEY"),
    "model_not_served": ("模型服务上没有所配置的模型，请管理员检查 CEHUA_MODEL 和 OPENAI_BASE_URL",
                         "模型服務上沒有所配置的模型，請管理員檢查 CEHUA_MODEL 和 OPENAI_BASE_URL"),
    "model_http_error": ("模型服务出错（HTTP {status}），请稍后再试", "模型服務出錯（HTTP {status}），請稍後再試"),
    "model_unreachable": ("连不上模型服务，请管理员检查 OPENAI_BASE_URL 和网络", "連不上模型服務，請管理員檢查 OPENAI_BASE_URL 和網絡"),
    "model_timeout": ("模型服务响应超时，请稍后再试", "模型服務響應超時，請稍後再試"),
    "model_broke_off": ("连接中途断开，请再问一次", "連接中途斷開，請再問一次"),
    "model_unreadable": ("模型服务的回复无法读取，请管理员检查 OPENAI_BASE_URL", "模型服務的回覆無法讀取，請管理員檢查 OPENAI_BASE_URL"),
    "model_not_configured": ("没有配置模型，请管理员设置 OPENAI_API_KEY", "沒有配置模型，請管理員設置 OPENAI_API_KEY"),
    "model_other": ("模型服务出错，请稍后再试", "模型服務出錯，請稍後再試"),
    "uncited": ("\n\n（以上回答没有引用指南段落，未经指南证实。指南原文如下：）\n",
                "\n\n（以上回答沒有引用指南段落，未經指南證實。指南原文如下：）\n"),
}


# (Simplified, Traditional) pairs of the fixed wording, for the output boundary to quote.
WRITTEN = list(_TEXT.values())


def _zh(key: str) -> str:
    return _TEXT[key][0]


def quote_lead_in(script: Script) -> str:
    """The line that says the answer quotes the guidebooks."""
    return _zh("lead_in")


def other_occasion(script: Script, sources: Sequence[str], asked: Sequence[str], sources_en: Sequence[str],
                   asked_en: Sequence[str]) -> str:
    """The note that the quotes are about other occasions (``sources``, Simplified names) than the ones asked
    about (English names for an English question)."""
    if script == "en":
        return (f"(Note: the text quoted below is about {' and '.join(sources_en)}; adapt it for "
                f"{' and '.join(asked_en)}.)")
    source, asked_for = "、".join(sources), "、".join(asked)
    return _zh("other_occasion").format(source=source, asked=asked_for)


def sample_blanks(script: Script, blanks: Sequence[str]) -> str:
    """The note that the quotes come from a sample plan whose ``blanks`` (「20__年」) are the reader's to fill."""
    shown = "".join(f"「{blank}」" for blank in blanks)
    if script == "en":
        one = len(blanks) == 1
        return (f"(Note: the quoted text is a sample plan: {shown} {'is a blank' if one else 'are blanks'} it leaves "
                "to fill; put in your own date, name or place.)")
    return _zh("sample_blanks").format(blanks=shown)


def english_frame(where: Sequence[tuple[str, str]], topics: Sequence[str], *, model_configured: bool = False) -> str:
    """The English sentence before the Chinese quotes that answer an English question offline: where the
    guidebooks say it (《title》, its sections) and on what (``topics``, the question's own words). Without a
    model it names the setting that brings answers in English; with one (it failed, or cited nothing) the
    label before the quotes already says why they are offline, and a key the server has would be the wrong fix."""
    sections: dict[str, list[str]] = {}
    for title, section in where:
        sections.setdefault(title, [])
        if section and section not in sections[title]:
            sections[title].append(section)
    places = []
    for title, named in sections.items():
        heads = " and ".join(f"「{s}」" for s in named)
        places.append(f"《{title}》" + (f", section{'s' if len(named) > 1 else ''} {heads}" if named else ""))
    book = "The guidebook " if len(places) == 1 else "The guidebooks "
    about = f" on {listed(topics, english=True)}" if topics else ""
    hint = "" if model_configured else "; set OPENAI_API_KEY for answers in English"
    return f"{book}{listed(places, english=True)} {'says' if len(places) == 1 else 'say'} this{about} (quoted in Chinese{hint}):"


def abstention(script: Script, related: Sequence[str] = (), topics: Sequence[str] = ()) -> str:
    """The honest answer when the guidebooks do not cover a question: with the ``related`` sections
    when there are any, else the ``topics`` the guidebooks do cover (section titles, Simplified)."""
    if script == "en":
        text = "The guidebooks do not cover this question, so Cehua cannot answer it from them."
        if related:
            text += " Related sections: " + "; ".join(related) + "."
        elif topics:
            text += " They cover: " + "; ".join(topics) + "."
        return text
    text = _zh("abstain")
    if related:
        text += _zh("related") + "、".join(f"「{t}」" for t in related) + "。"
    elif topics:
        text += _zh("covers") + "、".join(topics) + "等。"
    return text


# The model's address ("the model at http://10.0.0.5:8000/v1 ...") is for the server log, not for readers.
_ADDRESS = re.compile(r"\s*\bat\s+https?://\S+|\s*https?://\S+")


def model_failed(script: Script, error: ModelError, after_partial: bool) -> str:
    """The label before the offline answer when the model failed, saying why without the model's address:
    in English the error's own message, in Chinese its reason in Chinese (an English sentence inside a
    Chinese one read as 「模型暂时无法回答：the model failed with HTTP 500 …」)."""
    if script == "en":
        reason = _ADDRESS.sub("", str(error)).strip()
        head = "\n\n" if after_partial else ""
        return f"{head}(The model could not answer: {reason}. Offline answer from the guidebooks follows.)\n"
    key = f"model_{error.reason}" if f"model_{error.reason}" in _TEXT else "model_other"
    if key == "model_http_error" and error.status is None:
        key = "model_other"
    reason = _zh(key).format(status=error.status)
    return _zh("broke_off" if after_partial else "failed").format(reason=reason)


def uncited(script: Script) -> str:
    """The label after a model reply that cites no guidebook passage."""
    if script == "en":
        return "\n\n(This reply cites no guidebook passage, so it is not grounded. The guidebooks say:)\n"
    return _zh("uncited")
