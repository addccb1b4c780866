"""The drafting pipeline: brief → outline → retrieve per section → draft (model or composer,
concurrently) → validate → repair → final plan with its validation report."""

from __future__ import annotations

import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from assistant import script_boundary
from assistant.briefs.loader import check_not_past
from assistant.drafting.assemble import build_plan
from assistant.drafting.budget import budget_lines
from assistant.drafting.compose import compose_section, timeline_note_en
from assistant.drafting.facts import festival_sentence
from assistant.drafting.kinds import choose_kind, kind_template
from assistant.drafting.outline import Outline, SectionSpec, build_outline
from assistant.drafting.progress import DraftProgress
from assistant.drafting.queries import section_queries
from assistant.drafting.repair import failing_sections, validate_markdown
from assistant.drafting.result import DraftResult, PlanFacts, SectionDraft, SectionGuidance
from assistant.drafting.retrieve import CitationBook, retrieve_section
from assistant.drafting.tables import english_phase_name, phase_work
from assistant.drafting.timeline import DEFAULT_PHASES, fit_after, schedule
from assistant.drafting.write import write_section
from assistant.llm.base import ChatModel
from core import clock
from core.errors import BriefError, ModelError
from core.plan import Brief, Finding, Plan, Script
from core.settings import Settings, get_settings
from core.text.money import currency_words
from knowledge.passage import Retriever, quoted

MAX_REPAIR_ATTEMPTS = 2
log = logging.getLogger("cehua.drafting")


def check_brief(brief: Brief) -> None:
    """Raise BriefError naming the essentials (budget, start, end) the brief still lacks."""
    missing = brief.missing()
    if missing:
        raise BriefError(
            f"the brief is missing {', '.join(missing)}: add them (e.g. budget: 30万, start: 2026-09-10, "
            "end: 2026-09-25) before drafting",
            field=missing[0], code="brief_incomplete",
        )
    assert brief.start is not None and brief.end is not None
    if brief.end < brief.start:
        raise BriefError(f"the brief ends ({brief.end}) before it starts ({brief.start}): swap or fix the dates",
                         field="end")


def past_dates_findings(brief: Brief, findings: list[Finding]) -> list[Finding]:
    """A ``date_in_past`` warning when the campaign is over before today (the CLI refuses such briefs;
    other channels draft them and say so), unless the validators already reported it."""
    if any(f.code == "date_in_past" for f in findings):
        return []
    try:
        check_not_past(brief)
    except BriefError as exc:
        return [Finding(code="date_in_past", severity="warning", message=exc.message, location=exc.field or "")]
    return []


def plan_facts(brief: Brief, outline: Outline, guidance: dict[str, SectionGuidance], kind: str | None = None,
               today: dt.date | None = None) -> PlanFacts:
    """The numbers every section shares: budget lines for the campaign kind, the phases of the timeline
    section (with their work, none before today), and the festival's date."""
    english = outline.script == "en"
    kind = kind or choose_kind(brief)
    timeline_specs = [s for s in outline.sections if s.kind == "timeline"]
    names = timeline_specs[0].phases if timeline_specs and timeline_specs[0].phases else DEFAULT_PHASES
    scheduled, note = fit_after(schedule(brief, names), today or clock.today())
    phases = []
    for phase in scheduled:
        work = phase_work(phase, brief, outline.script)
        name = english_phase_name(phase.name) if english else phase.name
        phases.append(phase.model_copy(update={"name": name, "work": work}))
    return PlanFacts(budget_lines=budget_lines(brief, english=english, kind=kind), budget_total=brief.budget,
                     currency=brief.currency, phases=phases, festival=festival_sentence(brief, english=english),
                     kind=kind, timeline_note=note)


def brief_words(brief: Brief) -> list[tuple[str, str]]:
    """The planner's own words in the brief (brand, product, channels …), for quoting them as written, and the
    currency's Traditional name (新台幣, not opencc's 新臺幣)."""
    return [*script_boundary.own_words(brief.title, brief.brand, brief.product, brief.occasion, brief.audience,
                                       brief.region, *brief.channels, *brief.mechanics, *brief.goals),
            *currency_words(brief.currency)]


class SectionDrafter:
    """Drafts sections one way (model or composer) and counts model calls; shared across threads.

    Sections are written in Simplified and leave here in the plan's script (the drafting side of the
    output boundary), quoting the guidebooks and the brief as written."""

    def __init__(self, brief: Brief, facts: PlanFacts, model: ChatModel | None, script: Script) -> None:
        self.brief, self.facts, self.model, self.script = brief, facts, model, script
        self.model_calls = 0
        self.notices: list[str] = []
        self._written = brief_words(brief)
        import threading

        self._lock = threading.Lock()

    def _shown(self, draft: SectionDraft, guidance: SectionGuidance) -> SectionDraft:
        sources = [*quoted(guidance.passages), *self._written]
        return draft.model_copy(update={"body": script_boundary.text(draft.body, self.script, sources)})

    def compose(self, spec: SectionSpec, guidance: SectionGuidance) -> SectionDraft:
        return self._shown(compose_section(spec, self.brief, self.facts, guidance), guidance)

    def draft(self, spec: SectionSpec, guidance: SectionGuidance, *, previous: str = "",
              findings: list[Finding] | None = None) -> SectionDraft:
        if self.model is None:
            return self.compose(spec, guidance)
        with self._lock:
            self.model_calls += 1
        try:
            return self._shown(write_section(spec, self.brief, self.facts, guidance, self.model, self.script,
                                             previous=previous, findings=findings), guidance)
        except ModelError as exc:
            # Notices reach users (job events, version notes); why the model failed names its address,
            # which belongs in the server log only.
            log.warning("section %s: the model failed, composing offline: %s", spec.key, exc.message)
            with self._lock:
                self.notices.append(f"section '{spec.key}': the model could not answer; "
                                    "drafted by the offline composer instead")
            return self.compose(spec, guidance)


def _concurrency(settings: Settings, sections: int) -> int:
    return max(1, min(settings.section_concurrency, sections))


def draft_plan(
    brief: Brief,
    *,
    retriever: Retriever,
    model: ChatModel | None,
    template: str | None = None,
    progress: DraftProgress | None = None,
    settings: Settings | None = None,
) -> DraftResult:
    """A plan drafted section by section for ``brief`` from the guidebooks ``retriever`` searches,
    validated, with failing sections repaired; ``model=None`` drafts offline with the composer. The
    campaign kind is chosen from the brief; ``template`` (default: the kind's: promotion, event, service,
    channel or annual) fixes the chapters."""
    from knowledge.templates import load_template

    settings = settings or get_settings()
    progress = progress or DraftProgress()
    check_brief(brief)
    kind = choose_kind(brief)
    tmpl = load_template(template or kind_template(kind, brief))
    notices: list[str] = []
    script: Script = brief.script
    outline = build_outline(brief, tmpl, script=script)
    progress.on_outline(outline)

    book = CitationBook()
    guidance: dict[str, SectionGuidance] = {}
    for spec in outline.sections:
        progress.on_section_started(spec)
        guidance[spec.key] = retrieve_section(section_queries(spec, brief, kind), retriever, book)
    facts = plan_facts(brief, outline, guidance, kind)
    if facts.timeline_note:
        notices.append(timeline_note_en(facts) if script == "en"
                       else script_boundary.text(facts.timeline_note, script, brief_words(brief)))
    drafter = SectionDrafter(brief, facts, model, script)

    def draft_one(spec: SectionSpec) -> SectionDraft:
        draft = drafter.draft(spec, guidance[spec.key])
        progress.on_section_drafted(spec, draft)
        return draft

    with ThreadPoolExecutor(max_workers=_concurrency(settings, len(outline.sections))) as pool:
        drafts = list(pool.map(draft_one, outline.sections))  # map keeps outline order

    plan, markdown, findings = _repair(_Run(outline, brief, book, facts, tmpl, guidance, drafter, progress,
                                            settings), drafts)
    findings = [*findings, *past_dates_findings(brief, findings)]
    notices.extend(drafter.notices)
    result = DraftResult(brief=brief, plan=plan, plan_markdown=markdown, findings=findings,
                         citations=plan.citations, offline=model is None, template=tmpl.name,
                         notices=notices, model_calls=drafter.model_calls, kind=kind)
    progress.on_done(result)
    return result


@dataclass
class _Run:
    """What the validate-and-repair stage needs from one drafting run."""

    outline: Outline
    brief: Brief
    book: CitationBook
    facts: PlanFacts
    tmpl: Any
    guidance: dict[str, SectionGuidance]
    drafter: SectionDrafter
    progress: DraftProgress
    settings: Settings

    def validate(self, drafts: list[SectionDraft]) -> tuple[Plan, str, list[Finding]]:
        return _validate(self.outline, self.brief, drafts, self.book, self.facts, self.tmpl)


def _errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def _repair(run: _Run, drafts: list[SectionDraft]) -> tuple[Plan, str, list[Finding]]:
    """The validated plan, after re-drafting the sections errors point at: with the model first (given
    the findings), then with the composer; as a last resort the fully composed plan."""
    model = run.drafter.model
    plan, markdown, findings = run.validate(drafts)
    run.progress.on_validated(findings)
    for attempt in range(1, MAX_REPAIR_ATTEMPTS + 1):
        failing = failing_sections(findings, run.outline, run.tmpl)
        if not failing:
            break
        last = attempt == MAX_REPAIR_ATTEMPTS or model is None
        by_key = {d.key: d for d in drafts}

        def repair_one(item: tuple[SectionSpec, list[Finding]], last: bool = last,
                       by_key: dict[str, SectionDraft] = by_key, attempt: int = attempt) -> SectionDraft:
            spec, mine = item
            if last:  # the final attempt is deterministic: the composer's facts always check out
                fixed = run.drafter.compose(spec, run.guidance[spec.key])
            else:
                fixed = run.drafter.draft(spec, run.guidance[spec.key], previous=by_key[spec.key].body,
                                          findings=mine)
            run.progress.on_section_repaired(spec, attempt, mine)
            return fixed

        with ThreadPoolExecutor(max_workers=_concurrency(run.settings, len(failing))) as pool:
            for (spec, _), fixed in zip(failing, pool.map(repair_one, failing), strict=True):
                by_key[spec.key] = fixed
        drafts = [by_key[s.key] for s in run.outline.sections]
        plan, markdown, findings = run.validate(drafts)
        run.progress.on_validated(findings)
        if model is None:
            break

    if model is not None and _errors(findings):
        # Errors the section repairs could not place: the composed plan is the safe answer.
        composed = [run.drafter.compose(spec, run.guidance[spec.key]) for spec in run.outline.sections]
        fallback = run.validate(composed)
        if not _errors(fallback[2]):
            plan, markdown, findings = fallback
            run.drafter.notices.append("the model's draft kept failing the checks; this is the deterministic draft")
            run.progress.on_validated(findings)
    return plan, markdown, findings


def _validate(outline: Outline, brief: Brief, drafts: list[SectionDraft], book: CitationBook,
              facts: PlanFacts, tmpl: Any) -> tuple[Plan, str, list[Finding]]:
    cited = script_boundary.citations(book.citations(), outline.script, book.sources())
    plan = build_plan(outline, brief, drafts, cited, facts)
    markdown = plan.to_markdown()
    return plan, markdown, validate_markdown(markdown, plan, brief, tmpl)
