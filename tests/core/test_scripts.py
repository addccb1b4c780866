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


# ----- Taiwan words read as the mainland words a document uses -------------------------------

from core.text.scripts import mainland_words  # noqa: E402


def _documents_write(*words: str):  # type: ignore[no-untyped-def]
    """A ``prefer`` for documents that write ``words``: the mainland word when it is one of them."""
    return lambda mainland, written: mainland in words and written not in words


@pytest.mark.parametrize(("simplified", "read"), [
    ("调查完之后,资料要怎么分析?", "调查完之后,数据要怎么分析?"),  # 资料 → 数据: the documents write 数据
    ("行销影片用什么软体剪?", "行销视频用什么软件剪?"),
    ("做网路行销要注意啥", "做网络行销要注意啥"),
])
def test_a_taiwan_word_reads_as_the_mainland_word_the_documents_use(simplified: str, read: str) -> None:
    prefer = _documents_write("数据", "视频", "软件", "网络")
    assert mainland_words(simplified, prefer) == read


@pytest.mark.parametrize("simplified", [
    "售后服务团队怎样建立?",  # Taiwan's table would make it 创建
    "为什么活动策划跟执行这么重要?",  # … 运行
    "考核指标要怎么定",  # … 指针
    "我们想做小程序推广,线上要注意什么",  # … 小进程, 在线
    "渠道整合有哪些方法",  # … 集成
])
def test_a_word_the_documents_use_is_never_swapped_for_the_taiwan_tables_other_word(simplified: str) -> None:
    prefer = _documents_write("数据", "软件")  # they write 建立, 执行, 指标, 小程序, 线上, 整合 as they are
    assert mainland_words(simplified, prefer) == simplified
    # Asked whether to swap, a caller that always says yes gets the table's words: the choice is the caller's.
    assert mainland_words(simplified, lambda mainland, written: True) != simplified
