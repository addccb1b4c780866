"""knowledge.chapter_text: what a chapter is about, read from its text."""

from __future__ import annotations

from knowledge.chapter_text import features, fit, kind_of_question, kind_of_text


def test_numbers_read_as_one_zero_and_english_as_words() -> None:
    found = features("总预算50万元,Travel subsidies 25%")
    assert found["0万"] == 1 and found["万元"] == 1 and found["travel"] == 1 and found["subsidie"] == 1


def test_a_fitted_model_names_a_kind_only_when_sure() -> None:
    model = fit([("budget", "物料3万元,推广5万元,合计10万元"), ("budget", "场地费2万元,礼品1万元"),
                 ("risk", "下雨:改在室内;人多:增加保安"), ("risk", "断货:提前备货;下雨:备伞")], alpha=0.5, min_margin=0.3)
    assert kind_of_text("宣传2万元,舞狮0.5万元", {"budget", "risk"}, model) == "budget"
    assert kind_of_text("下雨时改到室内中庭", {"budget", "risk"}, model) == "risk"
    assert kind_of_text("开业当天上午剪彩", {"budget", "risk"}, model) is None  # no pair it knows
    assert kind_of_text("宣传2万元", {"risk"}, model) == "risk"  # alone in its place: the only kind it can be


def test_the_shipped_model_reads_a_budget_under_any_heading() -> None:
    text = "总预算50万元,其中场地租赁15万元、舞台搭建12万元、嘉宾及媒体18万元、物料5万元。"
    assert kind_of_text(text, {"audience", "budget", "risk", "staffing", "venue"}) == "budget"


def test_english_text_the_first_model_knows_no_word_of_is_read_by_the_english_part() -> None:
    model = fit([("budget", "物料3万元,推广5万元"), ("budget", "物料2万元"), ("risk", "下雨:改在室内;人多:增加保安"),
                 ("risk", "下雨改在室内")], alpha=0.5, min_margin=0.3)
    model["english"] = fit([("evaluation", "revenue against target, repeat buyers"), ("evaluation", "revenue, new buyers"),
                            ("risk", "late stock: plain boxes; strike: courier fallback"),
                            ("risk", "late stock: second supplier")], alpha=0.5, min_margin=0.3)
    assert kind_of_text("Revenue vs target and repeat buyers.", {"evaluation", "risk"}, model) == "evaluation"
    assert kind_of_text("Late stock: plain boxes.", {"evaluation", "risk"}, model) == "risk"
    # Text the first model knows a pair of stays its to read, sure or not: the English part does not overrule it.
    assert kind_of_text("Revenue vs target. 下雨改在室内", {"evaluation", "risk"}, model) == "risk"
    del model["english"]
    assert kind_of_text("Revenue vs target and repeat buyers.", {"evaluation", "risk"}, model) is None


def test_the_shipped_model_reads_an_english_evaluation() -> None:
    text = "Corporate accounts, sell-through, repeat buyers, revenue."  # no word the first model knows
    assert kind_of_text(text, {"evaluation", "risk"}) == "evaluation"


def test_a_question_heading_names_its_chapter_only_by_a_fitted_question_word() -> None:
    model = fit([("budget", "物料3万元"), ("budget", "物料2万元")], alpha=0.5, min_margin=0.3)
    model["questions"] = {"who": "audience"}
    assert kind_of_question("Who's coming", model) == "audience"
    assert kind_of_question("## Who we serve", model) == "audience"
    assert kind_of_question("What happens", model) is None  # 'what' asks of any chapter: the data gave it none
    assert kind_of_question("Wholesale", model) is None  # a word, not a prefix
    assert kind_of_question("目标客群", model) is None
    del model["questions"]
    assert kind_of_question("Who's coming", model) is None


def test_the_shipped_model_reads_who_as_the_audience() -> None:
    assert kind_of_question("Who we're talking to") == "audience"
