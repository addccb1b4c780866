"""`cehua search`, `cehua kb` and `cehua eval retrieval` as other tools and people use them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main


@pytest.fixture
def runner(kb_home: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    from core.settings import get_settings

    monkeypatch.setenv("CEHUA_HOME", str(kb_home))
    get_settings.cache_clear()
    return CliRunner()


def test_search_json_contract(runner: CliRunner) -> None:
    result = runner.invoke(main, ["search", "--json", "-k", "2", "满减优惠怎么设置?", "會員促銷有哪些方式"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert [item["query"] for item in payload] == ["满减优惠怎么设置?", "會員促銷有哪些方式"]
    for item in payload:
        assert len(item["results"]) == 2
        for hit in item["results"]:
            assert set(hit) >= {"text", "doc", "section", "score", "title", "start", "end"}
    assert "满减" in payload[0]["results"][0]["text"]
    assert "會員" in payload[1]["results"][0]["text"]


def test_search_listing_says_when_nothing_matches(runner: CliRunner) -> None:
    result = runner.invoke(main, ["search", "-k", "1", "怎么煮红烧肉?"])
    assert result.exit_code == 0
    assert result.output.startswith("怎么煮红烧肉?  (no good match, top score ")
    assert "\n1. [" in result.output


def test_kb_add_list_remove(runner: CliRunner, tmp_path: Path) -> None:
    guide = tmp_path / "livestream.md"
    guide.write_text("# 直播带货指南\n\n## 一、直播选品\n\n直播选品要看毛利率、复购率和话题性。\n", encoding="utf-8")
    added = runner.invoke(main, ["kb", "add", str(guide)])
    assert added.exit_code == 0, added.output
    assert added.output.startswith("livestream\t直播带货指南\t1 chunks\t0 garbled runs")
    listing = runner.invoke(main, ["kb", "list", "--json"])
    assert [d["doc_id"] for d in json.loads(listing.output)][-1] == "livestream"
    removed = runner.invoke(main, ["kb", "remove", "livestream"])
    assert removed.output == "removed livestream\t直播带货指南\n"
    missing = runner.invoke(main, ["kb", "remove", "livestream"])
    assert missing.exit_code == 4
    assert "no document 'livestream'" in missing.output


def test_kb_add_of_a_copy_says_the_text_is_already_in(runner: CliRunner, tmp_path: Path) -> None:
    """A copy of a guidebook under another name printed 「livestream  直播带货指南  1 chunks」 as if it were added:
    the planner could not tell that nothing new went in, nor under which name the text already is."""
    guide = tmp_path / "livestream.md"
    guide.write_text("# 直播带货指南\n\n## 一、直播选品\n\n直播选品要看毛利率、复购率和话题性。\n", encoding="utf-8")
    copy = tmp_path / "直播指南(1).md"
    copy.write_bytes(guide.read_bytes())
    try:
        assert runner.invoke(main, ["kb", "add", str(guide)]).exit_code == 0
        again = runner.invoke(main, ["kb", "add", str(copy)])
        assert again.exit_code == 0, again.output
        assert again.output == ("livestream\t直播带货指南\t1 chunks\t0 garbled runs\t(already in, from livestream.md: "
                                "the same text; nothing added)\n")
    finally:
        runner.invoke(main, ["kb", "remove", "livestream"])


def test_kb_add_bad_file_is_a_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(main, ["kb", "add", str(empty)])
    assert result.exit_code == 2
    assert result.output.strip().endswith("empty.txt: file is empty; add text to it or leave it out")


def test_kb_add_of_a_folder_says_which_file_is_too_short_and_that_nothing_was_added(
        runner: CliRunner, tmp_path: Path) -> None:
    """A two-line note in a folder of guidebooks stopped the whole add with 「no guidebook content left
    after cleaning; check the file」: no fix, and no word that the good files were not added either."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a_livestream.md").write_text("# 直播带货指南\n\n## 一、直播选品\n\n直播选品要看毛利率、复购率和话题性。\n",
                                            encoding="utf-8")
    (folder / "b_note.txt").write_text("门市活动\n预热两周\n", encoding="utf-8")
    before = runner.invoke(main, ["kb", "list"]).output
    result = runner.invoke(main, ["kb", "add", str(folder)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        "error: b_note.txt: too little text to be a guidebook (4 characters under its title 「门市活动」); "
        "add the guidebook's sections and text, or leave it out (nothing was added: add the files again once "
        "it is fixed or left out)")
    assert runner.invoke(main, ["kb", "list"]).output == before


def test_kb_add_of_a_folder_names_every_bad_file(runner: CliRunner, tmp_path: Path) -> None:
    """Only the first bad file was named: the planner fixed it, added again, and met the next one."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a_livestream.md").write_text("# 直播带货指南\n\n## 一、直播选品\n\n直播选品要看毛利率、复购率和话题性。\n",
                                            encoding="utf-8")
    (folder / "b_note.txt").write_text("门市活动\n预热两周\n", encoding="utf-8")
    (folder / "c_broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (folder / "d_note.txt").write_text("七夕\n备货\n", encoding="utf-8")
    before = runner.invoke(main, ["kb", "list"]).output
    result = runner.invoke(main, ["kb", "add", str(folder)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines[-4:] == [
        "error: 3 of the 4 files cannot be added, so nothing was added (add the files again once they are fixed "
        "or left out):",
        "  b_note.txt: too little text to be a guidebook (4 characters under its title 「门市活动」); add the "
        "guidebook's sections and text, or leave it out",
        "  c_broken.pdf: not a readable PDF (Stream has ended unexpectedly); export it again as PDF",
        "  d_note.txt: too little text to be a guidebook (2 characters under its title 「七夕」); add the "
        "guidebook's sections and text, or leave it out"]
    assert runner.invoke(main, ["kb", "list"]).output == before


def test_eval_retrieval_reports_scores_misses_and_abstentions(runner: CliRunner, tmp_path: Path) -> None:
    items = [
        {"id": "a", "question": "满减优惠怎么设置?", "expect_any": ["滿減門檻"]},
        {"id": "b", "question": "七夕节可以做哪些营销活动?", "expect_any": ["这句话不在任何指南里"]},
        {"id": "c", "question": "怎么给猫洗澡?", "expect_any": [], "out_of_scope": True},
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
    result = runner.invoke(main, ["eval", "retrieval", str(path), "-k", "5"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == ["questions: 2 in scope, 1 out of scope", "recall@5: 0.500", "MRR@10: 0.500"]
    assert "out of scope abstained (good_match=False): 1/1" in lines
    assert any(line.startswith("  b\tnot in top 10\t七夕节可以做哪些营销活动?") for line in lines)


def test_eval_retrieval_names_a_bad_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "question": "x"}\nnot json\n', encoding="utf-8")
    result = runner.invoke(main, ["eval", "retrieval", str(path)])
    assert result.exit_code == 2
    assert "bad.jsonl:2: not an evaluation item" in result.output
