"""Plans as Markdown: read the plans people write (``parse_plan``) and write plans back (``render_plan``).

People write chapters as Markdown headings (``## 一、活动背景``, or setext: the text over ``---``) or as
bare numbered lines (``一、活动背景`` / ``第一章 …``), budgets as pipe tables in 元, 万元 or 萬 with
optional share columns and a 合计 row, and timelines as tables or lists with dates in several formats.
markdown-it-py finds the headings, tables, fences and lists (``blocks``); the reader records line
numbers (1-based) so findings can point at them. The plan model uses this codec through
``Plan.from_markdown`` / ``Plan.to_markdown``.
"""

from core.plan.markdown.read import parse_plan, strip_markup
from core.plan.markdown.render import UNSUPPORTED_MARK, budget_table, render_plan, timeline_table

__all__ = ["UNSUPPORTED_MARK", "budget_table", "parse_plan", "render_plan", "strip_markup", "timeline_table"]
