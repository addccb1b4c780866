"""Lists of names in a sentence: 「抖音、微信」, 'WeChat and Xiaohongshu', 'A, B and C'."""

import pytest

from core.text.lists import listed


@pytest.mark.parametrize(
    ("items", "english", "said"),
    [
        ([], True, ""),
        (["WeChat"], True, "WeChat"),
        (["WeChat", "Xiaohongshu"], True, "WeChat and Xiaohongshu"),
        (["WeChat", "Xiaohongshu", "Douyin"], True, "WeChat, Xiaohongshu and Douyin"),
        (["抖音", "微信"], False, "抖音、微信"),
        (["抖音"], False, "抖音"),
    ],
)
def test_names_are_listed_as_the_language_writes_them(items: list[str], english: bool, said: str) -> None:
    assert listed(items, english=english) == said
