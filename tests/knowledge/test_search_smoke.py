"""The bundled knowledge base answers a question on first use, in the asker's script."""

from __future__ import annotations

from knowledge import open_knowledge_base


def test_first_search_builds_bundled_index_and_finds_section() -> None:
    result = open_knowledge_base().search("尾数定价属于哪一类价格策略?", k=5)
    assert result.good_match is True
    assert any("整数定价、尾数定价、声望定价" in p.text for p in result.passages)
    assert result.passages[0].section.endswith("6.1.2 心理定价策略")
