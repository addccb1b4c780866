"""Briefs from anything a planner writes: YAML/JSON files, form fields, or a sentence in Chinese or English."""

from assistant.briefs.entities import (
    find_brand,
    find_goals,
    find_product,
    find_region,
    find_stores,
    find_terms,
    names_a_plan_part,
)
from assistant.briefs.festivals import (
    festival_date,
    festival_name,
    festival_period,
    festivals_in,
    find_festival,
    next_festival,
)
from assistant.briefs.loader import brief_from_mapping, check_not_past, load_brief
from assistant.briefs.numerals import arabic_dates, chinese_count
from assistant.briefs.questions import asked, campaign_named, missing_question, optional_question
from assistant.briefs.request import find_budget, find_channels, find_mechanics, parse_request
from assistant.briefs.when import Window, find_window
from core.text.amounts import parse_amount
from core.text.dates import find_dates, find_durations, infer_year, parse_date
from core.text.scripts import writing_script

__all__ = [
    "Window",
    "arabic_dates",
    "asked",
    "campaign_named",
    "check_not_past",
    "chinese_count",
    "find_brand",
    "find_budget",
    "find_channels",
    "find_goals",
    "find_mechanics",
    "find_product",
    "find_region",
    "find_stores",
    "find_terms",
    "find_window",
    "missing_question",
    "names_a_plan_part",
    "optional_question",
    "writing_script",
    "brief_from_mapping",
    "festival_date",
    "festival_name",
    "festival_period",
    "festivals_in",
    "find_dates",
    "find_durations",
    "find_festival",
    "infer_year",
    "load_brief",
    "next_festival",
    "parse_amount",
    "parse_date",
    "parse_request",
]
