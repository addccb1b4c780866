"""Script at one boundary: Cehua works in Simplified and writes the asker's script once, on whole
sentences, quoting Traditional guidebooks in their own characters."""

from __future__ import annotations

import pytest

from assistant.chat import ChatService
from assistant.llm import get_chat_model
from core.settings import Settings
from core.text.stream import convert_stream
from knowledge.passage import Passage
from tests.assistant.chat_passages import PASSAGES
from tests.fakes import FakeOpenAIServer, FakeRetriever

# A Traditional guidebook as the bundled ones are written (為/群/眾, 考核, 對表現).
TRADITIONAL = Passage(
    doc="sales", title="銷售管理手冊", section="第八章 銷售激勵 > 8.3 激勵措施", start=10, end=120,
    text="8.3.4激勵措施實施與調整根據績效考核結果,實施激勵措施,對表現優秀的銷售人員給予獎勵。"
         "激勵方案應為銷售團隊所認可,兼顧群眾口碑。",
)


def _service(server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch, passages: list[Passage]) -> ChatService:
    for name, value in {**server.env, "CEHUA_MODEL_TIMEOUT": "5", "CEHUA_MODEL_MAX_RETRIES": "1"}.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    model = get_chat_model(settings)
    assert model is not None
    return ChatService(settings, FakeRetriever(passages), model)


def test_a_traditional_model_stream_split_mid_word_is_streamed_and_stored_right(
        fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # The fake server streams four characters a chunk: 「請保持乾」「淨整潔的」… splits 乾淨 between two.
    fake_openai.reply("請保持乾淨整潔的場地[1]。物料費用另計[1]。")
    service = _service(fake_openai, monkeypatch, PASSAGES)
    events = list(service.stream("活動預算一般包括哪些費用?"))
    tokens = [e.text for e in events if e.type == "token"]
    assert "".join(tokens) == "請保持乾淨整潔的場地[1]。物料費用另計[1]。"
    assert tokens[0] == "請保持乾淨整潔的場地[1]。"  # one sentence at a time
    done = events[-1].answer
    assert done is not None and done.answer == "請保持乾淨整潔的場地[1]。物料費用另計[1]。"
    (turn,) = service.store.recent_turns(done.conversation, 5)
    assert turn.answer == "請保持乾淨整潔的場地[1]。物料費用另計[1]。"


def test_a_simplified_model_stream_split_mid_word_reads_right_in_traditional(
        fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_openai.reply("请保持干净整洁的场地[1]。")  # a model that answered in Simplified anyway
    answer = _service(fake_openai, monkeypatch, PASSAGES).ask("活動預算一般包括哪些費用?")
    assert answer.answer == "請保持乾淨整潔的場地[1]。"


def test_a_model_quoting_a_traditional_guidebook_keeps_its_characters(
        fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_openai.reply("根據績效考核結果,對表現優秀的銷售人員給予獎勵[1]。")
    answer = _service(fake_openai, monkeypatch, [TRADITIONAL]).ask("銷售人員的激勵措施怎麼調整?")
    assert "績效考核結果,對表現優秀的銷售人員給予獎勵" in answer.answer
    assert "考覈" not in answer.answer and "對錶現" not in answer.answer


def test_offline_traditional_answers_and_citations_quote_the_guidebook_as_written() -> None:
    answer = ChatService(Settings(), FakeRetriever([TRADITIONAL]), None).ask("銷售人員的激勵措施怎麼調整?")
    quoted = answer.answer + "".join(c.text for c in answer.citations)
    assert "考核" in quoted and "對表現" in quoted
    for wrong in ("考覈", "對錶現", "爲", "羣", "衆"):
        assert wrong not in quoted, wrong


def test_stream_conversion_buffers_to_the_sentence_end() -> None:
    pieces = ["保持门店干", "净整洁。下一", "句没有句号"]
    assert list(convert_stream(pieces, "zh-Hant")) == ["保持門店乾淨整潔。", "下一句沒有句號"]
    assert list(convert_stream(["干", "净"], "zh-Hans")) == ["干", "净"]  # Simplified passes as it comes
    long = "很长的一句话，" * 40
    assert all(len(out) <= 200 for out in convert_stream(list(long), "zh-Hant"))
