"""Plans as Markdown: read the plans people write (``parse_plan``) and write plans back (``render_plan``).

People write chapters as ``## 一、活动背景`` or as bare numbered lines (``一、活动背景`` / ``第一章 …``),
budgets as pipe tables in 元, 万元 or 萬 with optional share columns and a 合计 row, and timelines as
tables or lists with dates in several formats. The parser records line numbers (1-based) so findings
can point at them.
"""

from assistant.plan_markdown.read import parse_plan, strip_markup
from assistant.plan_markdown.render import UNSUPPORTED_MARK, budget_table, render_plan, timeline_table

__all__ = ["UNSUPPORTED_MARK", "budget_table", "parse_plan", "render_plan", "strip_markup", "timeline_table"]
