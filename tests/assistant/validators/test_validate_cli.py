"""``cehua validate``: JSON and readable reports, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from assistant.cli import main
from tests.assistant.validators.plans import CLEAN_HANS, CLEAN_HANT, change


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_clean_plan_exits_0_with_ok_json(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(CLEAN_HANS, encoding="utf-8")
    code, out, _ = _run(str(path), "--json")
    assert code == 0
    assert json.loads(out) == {"ok": True, "findings": [],
                               "template": {"name": "promotion", "title": "促销活动方案", "chosen": True, "known": True}}


def test_plan_with_errors_exits_1_and_lists_findings(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(change(CLEAN_HANT, "八、風險評估\n庫存不足:提前備貨。\n", ""), encoding="utf-8")
    code, out, _ = _run(str(path), "--json")
    assert code == 1
    assert json.loads(out) == {"ok": False, "findings": [{
        "code": "missing_chapter", "severity": "error",
        "message": "缺少必備章節「風險評估與應急預案」:請補充這一章(模板「促銷活動方案」要求),放在「九、效果評估」之前。",
        "location": "九、效果評估,第35行"}],
        "template": {"name": "promotion", "title": "促銷活動方案", "chosen": True, "known": True}}


def test_warnings_alone_still_exit_0(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(change(CLEAN_HANS, "买二送一,满200减20。", "全网最低价,买二送一。"), encoding="utf-8")
    code, out, _ = _run(str(path), "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["ok"] is True
    assert [(f["code"], f["severity"], f["location"]) for f in payload["findings"]] == [
        ("ad_law_wording", "warning", "六、产品、价格与促销方式,第23行")]


def test_readable_report(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(change(CLEAN_HANS, "为期10天", "为期9天"), encoding="utf-8")
    code, out, _ = _run(str(path))
    assert code == 1
    assert out.splitlines() == [
        "plan.md — 「粽享端午」粽子礼盒促销方案",
        "  plan kind: 促销活动方案 (promotion, recognised)",
        "  error   timeline_duration_mismatch  [一、活动背景与目标,第4行]",
        "          「为期9天」与日期不符:2026-06-10至2026-06-19含首尾共10天。",
        "1 error(s), 0 warning(s), 0 note(s): needs fixing",
    ]


def test_a_plan_too_short_to_tell_its_kind_says_so(tmp_path: Path) -> None:
    """「# 方案 / ## 一、背景」 was reported as 「渠道拓展方案 (channel, recognised)」 missing four chapters."""
    path = tmp_path / "plan.md"
    path.write_text("# 方案\n## 一、背景\n门店客流下降，需要做一次活动。\n", encoding="utf-8")
    code, out, _ = _run(str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == "  plan kind: not recognised (too little to tell; --template names it)"
    assert "plan_kind_unknown" in lines[2] and "missing_chapter" not in out
    assert json.loads(_run(str(path), "--json")[1])["template"]["known"] is False


def test_brief_option_checks_budget_and_dates(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(CLEAN_HANS, encoding="utf-8")
    brief = tmp_path / "brief.yaml"
    brief.write_text("budget: 12万元\nstart: 2026-06-10\nend: 2026-06-19\n", encoding="utf-8")
    code, out, _ = _run(str(plan), "--json", "--brief", str(brief))
    assert code == 1
    assert [f["code"] for f in json.loads(out)["findings"]] == ["budget_total_mismatch"]


def test_non_plan_files_exit_2_with_one_line(tmp_path: Path) -> None:
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    code, out, err = _run(str(binary))
    assert (code, out) == (2, "")
    assert err == "error: photo.md is a binary file, not a plan: give a Markdown, text or Word (.docx) file\n"
    pdf = tmp_path / "方案.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n")
    code, out, err = _run(str(pdf))
    assert (code, out) == (2, "")
    assert err == ("error: 方案.pdf is a PDF: a PDF keeps no headings or tables to check; export the plan from "
                   "Word or WPS as Word Document (.docx), or give it as Markdown (.md)\n")
    note = tmp_path / "note.md"
    note.write_text("just a shopping list\n- eggs\n", encoding="utf-8")
    code, _, err = _run(str(note), "--json")
    assert code == 2
    assert err.startswith("error: note.md: no chapters found in the plan")
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    code, _, err = _run(str(empty))
    assert (code, err) == (2, "error: empty.md: the plan is empty: write chapters such as '## 一、活动背景与目标' "
                              "with text under them\n")


def test_unknown_template_names_the_available_ones(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(CLEAN_HANS, encoding="utf-8")
    code, _, err = _run(str(path), "--template", "wedding")
    assert (code, err) == (4, "error: unknown plan template 'wedding': use one of annual, channel, event, promotion, service\n")


def test_word_files_that_do_not_open_say_how_to_save_them(tmp_path: Path) -> None:
    """An old Word 97-2003 file (still common in offices) and a .docx that is no Word document said 'a binary
    file' and 'no chapters found in the plan': neither tells the planner to save it again as .docx."""
    old = tmp_path / "方案.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    code, out, err = _run(str(old))
    assert (code, out) == (2, "")
    assert err == ("error: 方案.doc is an old Word (.doc) file: open it in Word or WPS and save it as "
                   "Word Document (.docx), then validate that\n")
    renamed = tmp_path / "plan.docx"
    renamed.write_text("# 双十一促销方案\n\n## 一、活动背景\n正文\n", encoding="utf-8")
    code, out, err = _run(str(renamed))
    assert (code, out) == (2, "")
    assert err == ("error: plan.docx does not open as a Word document: save it again from Word or WPS as "
                   "Word Document (.docx), or give the plan as Markdown (.md)\n")


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch) -> None:
    # A 100 MB log passed by mistake ran for many minutes and took gigabytes; the API refuses such a body
    # at once (413), and the command line refuses it with the same limit and says how to raise it.
    from core.settings import get_settings

    monkeypatch.setenv("CEHUA_MAX_UPLOAD_BYTES", "2000")
    get_settings.cache_clear()
    path = tmp_path / "huge.md"
    path.write_text(CLEAN_HANS + "提升销售额。" * 400, encoding="utf-8")
    code, out, err = _run(str(path))
    assert (code, out) == (2, "")
    size = path.stat().st_size
    assert err == (f"error: huge.md is {size} bytes, over the 2000-byte limit for a plan: give the plan itself "
                   "(Markdown, text or Word .docx), or raise CEHUA_MAX_UPLOAD_BYTES\n")
