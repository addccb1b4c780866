"""Briefs from anything a planner writes: YAML/JSON files, form fields, or a sentence in Chinese or English."""

from assistant.briefs.festivals import (
    festival_date,
    festival_name,
    festival_period,
    festivals_in,
    find_festival,
    next_festival,
)
from assistant.briefs.loader import brief_from_mapping, load_brief
from assistant.briefs.request import parse_request
from core.text.amounts import parse_amount
from core.text.dates import find_dates, find_durations, infer_year, parse_date

__all__ = [
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
