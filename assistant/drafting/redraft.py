"""Regenerating one section of an existing plan (the API's "redraft this section")."""

from __future__ import annotations

from assistant import script_boundary
from assistant.drafting.assemble import build_plan
from assistant.drafting.kinds import choose_kind
from assistant.drafting.outline import build_outline, numbered_heading
from assistant.drafting.pipeline import SectionDrafter, check_brief, plan_facts
from assistant.drafting.progress import DraftProgress
from assistant.drafting.queries import section_queries
from assistant.drafting.repair import validate_markdown
from assistant.drafting.result import DraftResult, SectionDraft, SectionGuidance
from assistant.drafting.retrieve import CitationBook, retrieve_section
from assistant.llm.base import ChatModel
from core.plan import Brief, Plan, Script
from core.settings import Settings
from knowledge.passage import Passage, Retriever


def redraft_section(
    plan: Plan,
    brief: Brief,
    section_key: str,
    *,
    retriever: Retriever,
    model: ChatModel | None,
    template: str = "promotion",
    progress: DraftProgress | None = None,
    settings: Settings | None = None,
) -> DraftResult:
    """``plan`` with the section ``section_key`` retrieved and drafted afresh (added in outline order
    when the plan lacks it), the rest kept as it is, and the whole plan validated again.

    Raises NotFoundError listing the template's section keys when ``section_key`` is not one."""
    from knowledge.templates import load_template

    progress = progress or DraftProgress()
    check_brief(brief)
    tmpl = load_template(template)
    notices: list[str] = []
    script: Script = plan.script
    kind = choose_kind(brief)

    full = build_outline(brief, tmpl, script=script, include_optional=True)
    full.section(section_key)  # NotFoundError naming the keys when it is not a section of this template
    existing = {c.key: c for c in plan.chapters if c.key}
    kept = [s for s in full.sections if s.required or s.key in existing or s.key == section_key]
    sections = []
    for index, s in enumerate(kept):
        heading = existing[s.key].title if s.key in existing else numbered_heading(index, s.title, script)
        sections.append(s.model_copy(update={"index": index, "heading": heading}))
    outline = full.model_copy(update={"sections": sections, "title": plan.title or full.title})
    spec = outline.section(section_key)
    progress.on_outline(outline)

    book = CitationBook()
    for citation in plan.citations:  # existing markers keep their numbers
        book.number(Passage(text=citation.text, doc=citation.doc, title=citation.title,
                            section=citation.section, start=citation.start, end=citation.end))
    progress.on_section_started(spec)
    guidance = retrieve_section(section_queries(spec, brief, kind), retriever, book)
    empty = SectionGuidance(query="", supported=False)
    facts = plan_facts(brief, outline, {s.key: guidance if s.key == spec.key else empty for s in outline.sections},
                       kind)
    if spec.kind != "budget" and plan.budget_lines:
        facts.budget_lines, facts.budget_total = list(plan.budget_lines), plan.budget_total or brief.budget
    if spec.kind != "timeline" and plan.phases:
        facts.phases = list(plan.phases)

    drafter = SectionDrafter(brief, facts, model, script)
    new = drafter.draft(spec, guidance)
    progress.on_section_drafted(spec, new)

    drafts = _merged(plan, new, [s.key for s in full.sections], spec.title, script)
    cited = script_boundary.citations(book.citations(), script, book.sources())  # kept ones are shown already
    rebuilt = build_plan(outline, brief, drafts, cited, facts)
    markdown = rebuilt.to_markdown()
    findings = validate_markdown(markdown, rebuilt, brief, tmpl)
    progress.on_validated(findings)
    result = DraftResult(brief=brief, plan=rebuilt, plan_markdown=markdown, findings=findings,
                         citations=rebuilt.citations, offline=model is None, template=tmpl.name,
                         notices=notices + drafter.notices, model_calls=drafter.model_calls, kind=kind)
    progress.on_done(result)
    return result


# Chapters whose body is the plan's own numbers (budget lines, phases): drafted again they would lose the
# planner's edits (「把宣传费提到50%」, 「预热期延长到两周」); what they say from the brief is refreshed in place.
_TABLE_KINDS = ("budget", "timeline")


def chapters_reading(plan: Plan, before: Brief, after: Brief, template: str = "promotion") -> list[str]:
    """The keys of ``plan``'s chapters (not its budget and timeline tables) whose draft reads what changed from
    ``before`` to ``after`` (channels, mechanics, audience): the ones the composer writes differently from the
    two briefs over the same guidance, kind and phases. A brief edit drafts these again, and only these."""
    from assistant.drafting.compose import compose_section
    from core.errors import NotFoundError
    from knowledge.templates import load_template

    outline = build_outline(before, load_template(template), script=plan.script, include_optional=True)
    kind = choose_kind(before)
    none = SectionGuidance(query="", supported=False)
    empty = {s.key: none for s in outline.sections}
    facts = [plan_facts(brief, outline, empty, kind) for brief in (before, after)]
    for f in facts:
        f.phases = list(plan.phases) or f.phases
    keys = []
    for chapter in plan.chapters:
        if not chapter.key:
            continue
        try:
            spec = outline.section(chapter.key)
        except NotFoundError:
            continue
        if spec.kind in _TABLE_KINDS:
            continue
        drafts = [compose_section(spec, brief, f, none).body for brief, f in zip((before, after), facts, strict=True)]
        if drafts[0] != drafts[1]:
            keys.append(chapter.key)
    return keys


def _merged(plan: Plan, new: SectionDraft, template_order: list[str], title: str, script: Script) -> list[SectionDraft]:
    """Every chapter of ``plan`` kept in its place (unrecognised ones too) with ``new`` replacing the
    chapter of its key (under that chapter's heading), or inserted after the last chapter that comes
    before it in the template, numbered for that place."""
    drafts = [SectionDraft(key=c.key or "", heading=c.title, body=c.body, citations=c.citations,
                           supported=c.supported) for c in plan.chapters]
    for i, draft in enumerate(drafts):
        if draft.key == new.key:
            drafts[i] = new.model_copy(update={"heading": draft.heading})
            return drafts
    rank = {key: i for i, key in enumerate(template_order)}
    position = 0
    for i, draft in enumerate(drafts):
        if draft.key in rank and rank[draft.key] < rank[new.key]:
            position = i + 1
    drafts.insert(position, new.model_copy(update={"heading": numbered_heading(position, title, script)}))
    return drafts
