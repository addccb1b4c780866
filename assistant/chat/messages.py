"""What Cehua says around an answer (lead-ins, abstentions, labels), in the asker's script."""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.passage import Passage
from knowledge.scripts import ScriptName, to_script


def _zh(simplified: str, script: ScriptName) -> str:
    return to_script(simplified, "zh-Hant" if script == "zh-Hant" else "zh-Hans")


def quote_script(script: ScriptName) -> ScriptName:
    """The script quotes are shown in: the asker's, or Simplified for English (the guidebooks are Chinese)."""
    return "zh-Hans" if script == "en" else script


def quote_lead_in(script: ScriptName) -> str:
    """The line that says the answer quotes the guidebooks."""
    return _zh("根据指南原文：", script)


def english_needs_model() -> str:
    return ("English answers need a configured model (set OPENAI_API_KEY); offline, Cehua quotes the "
            "Chinese guidebooks as they are:\n")


def abstention(script: ScriptName, passages: Sequence[Passage] = ()) -> str:
    """The honest answer when the guidebooks do not cover a question, with what they do cover."""
    titles: list[str] = []
    for passage in passages:
        title = (passage.title or "").strip()
        if title and title not in titles:
            titles.append(title)
    if script == "en":
        text = "The guidebooks do not cover this question, so Cehua cannot answer it from them."
        if titles:
            text += " They cover: " + "; ".join(titles[:3]) + "."
        return text
    text = "指南中没有涉及这个问题的内容，无法根据指南回答。"
    if titles:
        text += "指南涵盖的主题包括：" + "、".join(f"《{t}》" for t in titles[:3]) + "。"
    return _zh(text, script)


def model_failed(script: ScriptName, reason: str, after_partial: bool) -> str:
    """The label before the offline answer when the model failed."""
    if script == "en":
        head = "\n\n" if after_partial else ""
        return f"{head}(The model could not answer: {reason}. Offline answer from the guidebooks follows.)\n"
    head = "\n\n（模型回答中断" if after_partial else "（模型暂时无法回答"
    return _zh(f"{head}：{reason}。以下为离线检索的指南原文。）\n", script)


def uncited(script: ScriptName) -> str:
    """The label after a model reply that cites no guidebook passage."""
    if script == "en":
        return "\n\n(This reply cites no guidebook passage, so it is not grounded. The guidebooks say:)\n"
    return _zh("\n\n（以上回答没有引用指南段落，未经指南证实。指南原文如下：）\n", script)
