"""Files of each supported kind are read; unusable ones give a DocumentError naming file and reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import DocumentError
from knowledge.load import load_document
from tests.documents import minimal_pdf

TEXT = "第一章 促销策略\n价格促销包括打折、优惠券、限时特价等。"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "gbk", "big5"])
def test_text_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    text = TEXT if encoding != "big5" else "第一章 促銷策略\n價格促銷包括打折、優惠券、限時特價等。"
    path = tmp_path / f"guide-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    doc = load_document(path)
    assert doc.text == text
    assert doc.source_name == path.name
    assert len(doc.sha256) == 64


def test_html_keeps_text_and_drops_scripts(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><head><script>var x=1;</script></head><body><h1>促销策略</h1><p>打折和满减。</p></body></html>",
                    encoding="utf-8")
    text = load_document(path).text
    assert "\n# 促销策略\n" in text and "打折和满减。" in text and "var x" not in text


def test_docx_paragraphs_are_read(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("促销手册", level=1)
    document.add_paragraph("一、活动目的")
    document.add_paragraph("提升品牌知名度。")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    assert load_document(path).text == "# 促销手册\n一、活动目的\n提升品牌知名度。"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.md", b"   \n\n", "file is empty"),
        ("binary.txt", b"\x00\x01\x02\x03binary\x00data", "binary file"),
        ("broken.pdf", b"%PDF-1.4 not really a pdf", "not a readable PDF"),
        ("broken.docx", b"PK\x03\x04 not a zip", "not a valid .docx"),
        ("table.xlsx", b"whatever", "unsupported file type '.xlsx'"),
    ],
)
def test_unusable_files_name_the_file_and_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as excinfo:
        load_document(path)
    assert name in str(excinfo.value)
    assert reason in str(excinfo.value)


def _docx_bytes(tmp_path: Path) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("会员手册", level=1)
    document.add_paragraph("每月18日为会员日。")
    document.save(str(tmp_path / "made.docx"))
    return (tmp_path / "made.docx").read_bytes()


@pytest.mark.parametrize(("name", "kind", "text"), [
    ("会员手册.pdf", "docx", "# 会员手册\n每月18日为会员日。"),
    ("会员手册.txt", "docx", "# 会员手册\n每月18日为会员日。"),
    ("guide.docx", "pdf", "Promotion guide: coupons and flash sales"),
    ("guide.md", "pdf", "Promotion guide: coupons and flash sales"),
])
def test_a_file_named_with_another_format_s_extension_is_read_as_what_it_is(tmp_path: Path, name: str, kind: str,
                                                                             text: str) -> None:
    """A Word file saved as 会员手册.pdf was refused "not a readable PDF (Stream has ended unexpectedly); export it
    again as PDF", a fix that fails the same way: the bytes say what the file is, whatever its name says."""
    data = _docx_bytes(tmp_path) if kind == "docx" else minimal_pdf("Promotion guide: coupons and flash sales")
    path = tmp_path / name
    path.write_bytes(data)
    loaded = load_document(path)
    assert (loaded.encoding, loaded.text.strip()) == (kind, text)


@pytest.mark.parametrize("name", ["旧手册.docx", "旧手册.pdf", "旧手册.txt"])
def test_an_old_word_file_is_named_with_the_fix(tmp_path: Path, name: str) -> None:
    """A Word 97-2003 file renamed .docx was refused "not a valid .docx file (File is not a zip file); re-save it
    from Word", which does not say to save it in the newer format."""
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    with pytest.raises(DocumentError) as excinfo:
        load_document(path)
    assert str(excinfo.value) == (f"{name}: a Word 97-2003 document (.doc); open it in Word and save it as .docx "
                                  "(Word Document), then add that file")


def test_oversized_and_missing_files(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("促销" * 100, encoding="utf-8")
    with pytest.raises(DocumentError, match=r"big.txt: file is 600 bytes, over the 100-byte limit"):
        load_document(big, max_bytes=100)
    with pytest.raises(DocumentError, match="no such file"):
        load_document(tmp_path / "missing.txt")


def test_undecodable_bytes_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 20)
    with pytest.raises(DocumentError, match="noise.txt: cannot decode"):
        load_document(path)


@pytest.mark.parametrize("text", ["促銷活動", "會員專享折扣", "限時特價與滿減"])
@pytest.mark.parametrize("encoding", ["big5", "gb18030"])
def test_short_texts_are_not_mistaken_for_the_other_encoding(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes(text.encode(encoding))
    assert load_document(path).text == text


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    path = tmp_path / "guide.pdf"
    path.write_bytes(minimal_pdf("Promotion guide: coupons and flash sales"))
    assert load_document(path).text.strip() == "Promotion guide: coupons and flash sales"


def test_pdf_repair_warnings_do_not_reach_the_terminal(tmp_path: Path) -> None:
    """A PDF pypdf reads after repairing it (blank lines before the header) printed pypdf's
    'invalid pdf header' / 'EOF marker not found' on stderr under cehua kb add: noise the planner could not act
    on, since the text was read. A process with no logging set up (the CLI) must print nothing."""
    path = tmp_path / "guide.pdf"
    path.write_bytes(b"\n\n" + minimal_pdf("Promotion guide: coupons and flash sales"))
    code = ("import sys; from pathlib import Path; from knowledge.load import load_document; "
            "print(load_document(Path(sys.argv[1])).text.strip())")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "Promotion guide: coupons and flash sales", done.stderr
    assert done.stderr == ""


def test_a_markdown_guidebook_is_read_as_markdown(tmp_path: Path) -> None:
    """A .md guidebook kept its markup in passages (**两周**, [主题](http://…)) and its setext title
    (「门店活动指南\\n======」) was no heading: headings come out as the heading lines the other formats give
    (# and the level), the rest as plain text."""
    path = tmp_path / "guide.md"
    path.write_text("门店活动指南\n======\n\n## 一、活动前准备\n\n活动前**两周**确定[主题](http://x.cn)和预算，\n准备物料。\n\n"
                    "- 物料\n- 人员\n\n| 项目 | 金额 |\n|---|---|\n| 场地 | 1万 |\n", encoding="utf-8")
    assert load_document(path).text.rstrip("\n").split("\n") == [
        "# 门店活动指南", "", "## 一、活动前准备", "", "活动前两周确定主题和预算，", "准备物料。", "",
        "- 物料", "- 人员", "", "项目 金额", "场地 1万"]
