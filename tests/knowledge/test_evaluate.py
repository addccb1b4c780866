"""The hit rule shared by retrieval and answer evaluation."""

from __future__ import annotations

import pytest

from knowledge.evaluate import is_hit


@pytest.mark.parametrize(
    ("text", "expect_any", "hit"),
    [
        ("包括打折、優惠券、限時特價等。", ["打折、优惠券、限时特价"], True),
        ("包括打折、 优惠券、\n限时特价等。", ["打折、优惠券、限时特价"], True),
        ("满 100 减 10", ["满100减10"], True),
        ("地理细分和人口细分", ["心理细分", "行为细分"], False),
        ("行为细分", ["心理细分", "行为细分"], True),
        ("任何文本", [], False),
        ("任何文本", [""], False),
    ],
)
def test_is_hit(text: str, expect_any: list[str], hit: bool) -> None:
    assert is_hit(text, expect_any) is hit
