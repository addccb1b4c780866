"""Written Cantonese read as Mandarin: its function words, same length, Mandarin untouched."""

from __future__ import annotations

import pytest

from core.text.scripts import as_mandarin


@pytest.mark.parametrize(("written", "mandarin"), [
    ("我哋係一間喺旺角嘅餅店,有咩建議?", "我们是一間在旺角的餅店,有啥建議?"),
    ("點樣先可以吸引多啲客?", "怎样先可以吸引多些客?"),
    ("做推廣有冇咩要注意", "做推廣有没啥要注意"),
    ("关系营销怎么做", "关系营销怎么做"),  # Mandarin (关系, 關係) is left alone
    ("關係營銷點解重要", "關係營銷为何重要"),
])
def test_written_cantonese_function_words_read_as_mandarin_same_length(written: str, mandarin: str) -> None:
    assert as_mandarin(written) == mandarin and len(as_mandarin(written)) == len(written)
