"""The application service for plans: every channel (API routes, CLI, widget, chat platforms, the
OpenAI-compatible endpoint) creates, drafts, edits, regenerates, undoes, validates and exports plans
through ``PlanService``, so none keeps its own copy of revalidation, messages or formatting."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from assistant import script_boundary
from assistant.planning import operations as ops
from assistant.planning.edits import Edit
from assistant.planning.jobs import DraftEngine, run_draft_job
from assistant.store import jobs as job_store
from assistant.store import plans as plan_store
from assistant.store.db import session_scope
from assistant.store.plans import PlanVersion, StoredPlan
from assistant.validation import Validation
from core.errors import InputError, NotFoundError
from core.plan import Brief, Finding, Plan
from core.settings import Settings


class JobSubmitter(Protocol):
    """Runs drafting jobs under the process's concurrency limit (the API's ``JobRunner``)."""

    def submit(self, settings: Settings, job_id: str, fn: Any, /, *args: Any, **kwargs: Any) -> Future[None]: ...


class InlineJobs:
    """Runs each job at once in the calling thread (the CLI: one planner, one job at a time)."""

    def submit(self, settings: Settings, job_id: str, fn: Any, /, *args: Any, **kwargs: Any) -> Future[None]:
        future: Future[None] = Future()
        fn(*args, **kwargs)
        future.set_result(None)
        return future


class PlanState(BaseModel):
    """A plan version as a turn reports it: ``{"id", "version", "brief", "findings", "changes"}``."""

    id: str
    version: int
    brief: Brief
    findings: list[Finding] = Field(default_factory=list)
    changes: list[str] = Field(default_factory=list)


class Change(BaseModel):
    """What an edit or undo did to a plan."""

    state: PlanState
    plan: Plan
    markdown: str
    changed: bool = True
    new_findings: list[Finding] = Field(default_factory=list)
    restored: int | None = Field(default=None, description="undo: the version whose content came back")
    notes: list[str] = Field(default_factory=list, description="what was asked that changed nothing, and why")


class Export(BaseModel):
    data: bytes
    filename: str
    version: int


ExportFormat = Literal["md", "docx", "json"]


def template(name: str) -> Any:
    """The plan template ``name`` (NotFoundError naming the available ones)."""
    from knowledge.templates import load_template

    return load_template(name)


def revalidated(plan: Plan, brief: Brief | None, template_name: str) -> tuple[Plan, str, list[Finding]]:
    """The plan re-read from its Markdown (so edited tables count), that Markdown and its findings."""
    from assistant.drafting.repair import validate_markdown

    tmpl = template(template_name)
    markdown = plan.to_markdown()
    reread = Plan.from_markdown(markdown, tmpl)
    reread.currency = plan.currency  # a plan without a budget table still has the brief's currency
    if len(reread.chapters) == len(plan.chapters):
        for new, old in zip(reread.chapters, plan.chapters, strict=True):
            new.key = new.key or old.key
            new.citations = old.citations
            new.supported = old.supported
    if plan.citations:
        # The plan's own citations: the Markdown's reference lines lose the passages' text and offsets, and
        # a section drafted again later numbers citations by them (all of one guidebook would become one).
        reread.citations = plan.citations
    if brief is None:
        from assistant.validators import validate_plan

        return reread, markdown, validate_plan(reread, brief=None, template=tmpl)
    return reread, markdown, validate_markdown(markdown, reread, brief, tmpl)


def _finding_key(f: Finding) -> tuple[str, str]:
    return f.code, f.message


class PlanService:
    """Plans for one settings object, drafted by ``drafter`` under ``jobs``' concurrency limit."""

    def __init__(self, settings: Settings, drafter: Callable[[], DraftEngine], jobs: JobSubmitter | None = None) -> None:
        self.settings = settings
        self._drafter = drafter  # built on first use: the knowledge base loads only when a plan needs it
        self.jobs: JobSubmitter = jobs or InlineJobs()

    @property
    def drafter(self) -> DraftEngine:
        return self._drafter()

    # -- reading -----------------------------------------------------------------------------

    def get(self, plan_id: str) -> StoredPlan:
        with session_scope(self.settings) as session:
            return plan_store.get_plan(session, plan_id)

    def version(self, plan_id: str, number: int | None = None) -> PlanVersion:
        """Version ``number`` of the plan (the current one when None)."""
        with session_scope(self.settings) as session:
            if number is not None:
                return plan_store.get_version(session, plan_id, number)
            return self._current(plan_store.get_plan(session, plan_id))

    @staticmethod
    def _current(stored: StoredPlan) -> PlanVersion:
        if stored.current is None:
            if stored.status == "drafting":
                raise InputError(f"plan '{stored.id}' is still being drafted: wait for the 'done' event at "
                                 f"/v1/plans/{stored.id}/events", code="plan_not_ready")
            reason = (stored.error or {}).get("message") or "drafting failed"
            raise InputError(f"plan '{stored.id}' has no draft: drafting failed ({reason}); start it again with "
                             f"POST /v1/plans/{stored.id}/retry", code="plan_not_ready")
        return stored.current

    def state(self, plan_id: str) -> PlanState:
        stored = self.get(plan_id)
        current = self._current(stored)
        return PlanState(id=plan_id, version=current.version, brief=current.brief or stored.brief,
                         findings=current.findings, changes=current.changes)

    # -- creating and drafting ---------------------------------------------------------------

    def start_draft(self, brief: Brief, *, template_name: str | None = None, request_text: str | None = None,
                    key_id: str | None = None) -> tuple[str, str, Future[None]]:
        """A new plan drafted as a job under the concurrency limit: (plan id, job id, the job's future).
        ``template_name`` defaults to the campaign kind's (an event plan for an event, as `cehua draft`).

        Raises BriefError naming the missing essentials first, NotFoundError for an unknown template."""
        from assistant.drafting import check_brief
        from assistant.drafting.kinds import template_for

        check_brief(brief)
        template_name = template_name or template_for(brief)
        template(template_name)
        with session_scope(self.settings) as session:
            plan_id = plan_store.create_plan(session, brief, template=template_name, request_text=request_text,
                                             key_id=key_id)
            job = job_store.create_job(session, "draft", plan_id=plan_id)
        future = self.jobs.submit(self.settings, job.id, run_draft_job, self.settings, self.drafter, job_id=job.id,
                                  plan_id=plan_id, brief=brief, template=template_name)
        return plan_id, job.id, future

    def retry_draft(self, plan_id: str) -> tuple[str, Future[None]]:
        """Draft a plan whose drafting failed again, as a new job: (job id, the job's future).
        InputError while it is still being drafted or once it has a draft."""
        with session_scope(self.settings) as session:
            job = job_store.latest_job_for_plan(session, plan_id)  # a job whose worker died is failed here
            stored = self.get(plan_id)
            if stored.current is not None or (job is not None and not job.finished):
                state = "is still being drafted" if stored.current is None else "already has a draft"
                raise InputError(f"plan '{plan_id}' {state}: only a plan whose drafting failed can be retried",
                                 code="plan_not_failed")
            plan_store.mark_drafting(session, plan_id)
            job = job_store.create_job(session, "draft", plan_id=plan_id)
        future = self.jobs.submit(self.settings, job.id, run_draft_job, self.settings, self.drafter, job_id=job.id,
                                  plan_id=plan_id, brief=stored.brief, template=stored.template)
        return job.id, future

    def finished_draft(self, plan_id: str, job_id: str) -> PlanState:
        """The drafted plan's state once its job ended; the job's error (as a CehuaError) when it failed."""
        from core.errors import CehuaError

        with session_scope(self.settings) as session:
            job = job_store.get_job(session, job_id)
        if job.status == "failed":
            error = job.error or {}
            raise CehuaError(error.get("message") or "drafting failed: start it again",
                             code=error.get("code") or "draft_failed")
        return self.state(plan_id)

    # -- editing -----------------------------------------------------------------------------

    def edit_section(self, plan_id: str, key: str, body: str, title: str | None = None, note: str = "") -> Change:
        """One section's body (and heading) replaced by the planner's text; a new, revalidated version."""
        stored = self.get(plan_id)
        plan = self._current(stored).plan.model_copy(deep=True)
        index = _chapter_index(plan, key)
        plan.chapters[index].body = body.strip("\n")
        if title:
            plan.chapters[index].title = title.strip()
        shown = plan.chapters[index].title
        return self._save(stored, plan, stored.brief, source="edit", note=note or f"edited section {key}",
                          changes=[_said(plan.script, f"编辑章节:{shown}", f"Edited chapter: {shown}", shown)])

    def regenerate(self, plan_id: str, key: str) -> Change:
        """One section drafted again from the guidebooks; a new, revalidated version."""
        stored = self.get(plan_id)
        current = self._current(stored)
        result = self.drafter.redraft(current.plan, stored.brief, key, template=stored.template)
        shown = result.plan.chapters[_chapter_index(result.plan, key)].title
        return self._save(stored, result.plan, stored.brief, source="regenerate", note=f"regenerated section {key}",
                          changes=[_said(result.plan.script, f"重新起草章节:{shown}", f"Redrafted chapter: {shown}",
                                         shown)])

    def apply(self, plan_id: str, edits: list[Edit], *, note: str = "") -> Change:
        """The edits applied in order by the deterministic plan operations; one new, revalidated version
        (or the current one, ``changed`` False, when nothing changed)."""
        stored = self.get(plan_id)
        current = self._current(stored)
        plan, brief = current.plan, current.brief or stored.brief
        script = plan.script
        # The operations work in Simplified; the edited plan and brief take the plan's script again below,
        # every line they had before as it was written.
        traditional = script == "zh-Hant"
        written: dict[str, str] = {}
        if traditional:
            (plan, written), (brief, from_brief) = script_boundary.simplified(plan), script_boundary.simplified(brief)
            written = {**from_brief, **written}
        quoting: list[tuple[str, str]] = []  # guidebook passages a change quotes, as they are written
        changes: list[str] = []
        notes: list[str] = []
        for edit in edits:
            outcome = self._operate(plan, brief, script_boundary.simplified(edit)[0] if traditional else edit,
                                    stored.template, quoting)
            plan, brief = outcome.plan, outcome.brief
            changes += outcome.changes
            notes += outcome.notes
        if not changes:
            return Change(state=self.state(plan_id), plan=current.plan, markdown=current.markdown, changed=False,
                          notes=notes)
        if traditional:
            plan = script_boundary.restored(plan, script, written, quoting)
            brief = script_boundary.restored(brief, script, written, quoting)
            # What changed is listed in the plan's script too, in the reply's JSON and in the saved version.
            changes = script_boundary.restored(_Changes(lines=changes), script, written, quoting).lines
        saved = self._save(stored, plan, brief, source="edit", note=note or "; ".join(changes), changes=changes,
                           before=current.findings)
        return saved.model_copy(update={"notes": notes})

    def undo(self, plan_id: str) -> Change:
        """The version before the last change restored exactly, saved as a new version (nothing is
        overwritten); ``changed`` False when there is nothing to undo."""
        stored = self.get(plan_id)
        current = self._current(stored)
        if current.base is None:
            return Change(state=self.state(plan_id), plan=current.plan, markdown=current.markdown, changed=False)
        previous = self.version(plan_id, current.base)
        with session_scope(self.settings) as session:
            plan_store.add_version(
                session, plan_id, plan=previous.plan, markdown=previous.markdown, findings=previous.findings,
                citations=previous.citations, source="undo", note=f"undid version {current.version}",
                brief=previous.brief or stored.brief, base=previous.base,
                changes=[_said((previous.brief or stored.brief).script, f"撤销第{current.version}版的修改,恢复第{previous.version}版",
                               f"Undid version {current.version}: back to version {previous.version}")])
        return Change(state=self.state(plan_id), plan=previous.plan, markdown=previous.markdown,
                      restored=previous.version, new_findings=_new(current.findings, previous.findings))

    def _save(self, stored: StoredPlan, plan: Plan, brief: Brief, *, source: plan_store.VersionSource, note: str,
              changes: list[str], before: list[Finding] | None = None) -> Change:
        plan, markdown, findings = revalidated(plan, brief, stored.template)
        current = stored.current
        with session_scope(self.settings) as session:
            plan_store.add_version(session, stored.id, plan=plan, markdown=markdown, findings=findings,
                                   citations=plan.citations, source=source, note=note, brief=brief,
                                   base=current.version if current else None, changes=changes)
        earlier = before if before is not None else (current.findings if current else [])
        return Change(state=self.state(stored.id), plan=plan, markdown=markdown,
                      new_findings=_new(earlier, findings))

    def _operate(self, plan: Plan, brief: Brief, edit: Edit, template_name: str,
                 quoting: list[tuple[str, str]]) -> ops.Outcome:
        def redraft(p: Plan, b: Brief, key: str) -> Plan:
            return self.drafter.redraft(p, b, key, template=template_name).plan  # type: ignore[no-any-return]

        def detail(p: Plan, b: Brief, index: int) -> Plan:
            from assistant.planning.detail import more_specific

            return more_specific(p, b, index, self.drafter, template_name, quoting=quoting)

        def readers(p: Plan, before: Brief, after: Brief) -> list[str]:
            from assistant.drafting.redraft import chapters_reading

            return chapters_reading(p, before, after, template_name)

        kinds = {c.key: c.kind for c in template(template_name).chapters}  # an event's programme is its offer
        kind = edit.kind
        if kind == "budget" and edit.amount is not None:
            from assistant.briefs.loader import check_budget

            check_budget(edit.amount, "the change", f"{edit.amount:g}")
            return ops.set_budget(plan, brief, edit.amount, edit.currency)
        if kind == "budget" and edit.change is not None and edit.currency is not None:
            return ops.budget_change_in_another_currency(plan, brief, edit.change, edit.currency)
        if kind == "share" and edit.category is not None and edit.percent is not None:
            return ops.add_share_line(plan, brief, edit.category, edit.percent)
        if kind == "share" and edit.line is not None and edit.percent is not None:
            return ops.set_share(plan, brief, edit.line, edit.percent, edit.lines)
        if kind == "shift" and edit.days:
            return ops.shift(plan, brief, edit.days)
        if kind == "window" and edit.start is not None and edit.end is not None:
            return ops.set_window(plan, brief, edit.start, edit.end)
        if kind == "phase" and edit.phase is not None:
            return ops.resize_phase(plan, brief, edit.phase, to_days=edit.to_days, by_days=edit.by_days)
        if kind == "channels":
            return ops.set_channels(plan, brief, edit.channels, redraft, readers, edit.absent)
        if kind == "rename" and edit.text:
            return ops.rename(plan, brief, edit.text)
        if kind == "audience" and edit.text:
            return ops.set_audience(plan, brief, edit.text, redraft, readers)
        if kind == "mechanics" and edit.mechanics:
            return ops.add_mechanics(plan, brief, edit.mechanics, kinds, edit.terms, redraft, readers)
        if kind == "rewrite" and edit.chapter is not None:
            return ops.rewrite_chapter(plan, brief, edit.chapter, detail)
        if kind == "remove_chapter" and edit.chapter is not None:
            return ops.remove_chapter(plan, brief, edit.chapter)
        if kind == "add_chapter" and edit.key:
            return ops.add_chapter(plan, brief, edit.key, redraft)
        return ops.Outcome(plan=plan, brief=brief)

    # -- checking and exporting --------------------------------------------------------------

    def validate(self, data: bytes, name: str, brief_data: dict[str, Any] | None = None,
                 template_name: str | None = None) -> Validation:
        """A plan someone wrote (Markdown, text or Word .docx), its kind recognised unless ``template_name``
        forces one, and checked (PlanFormatError when it is not a plan)."""
        from assistant.validation import validate_file

        brief = None
        if brief_data is not None:
            from assistant.briefs import brief_from_mapping

            brief = brief_from_mapping(brief_data, source="brief")
        return validate_file(data, name, brief=brief, template_name=template_name)

    def export(self, plan_id: str, fmt: ExportFormat = "md", version: int | None = None) -> Export:
        """The plan (a version of it) as Markdown, Word or JSON bytes, with a file name."""
        chosen = self.version(plan_id, version)
        if fmt == "md":
            data = chosen.markdown.encode("utf-8")
        else:
            from assistant.export import export_plan

            data = export_plan(chosen.plan, fmt)
        return Export(data=data, filename=f"plan-{plan_id[:8]}-v{chosen.version}.{fmt}", version=chosen.version)


    def chart(self, plan_id: str, name: str, version: int | None = None) -> bytes:
        """The plan's timeline (Gantt) or budget chart as PNG bytes, in the plan's script; NotFoundError
        saying why when there is none to draw (no data, or no CJK font for Chinese labels)."""
        from assistant.export.charts import chart_notice, render_chart

        chosen = self.version(plan_id, version)
        picture = render_chart(chosen.plan, name)
        if picture is None:
            why = chart_notice(chosen.plan) or f"the plan has no {name} to draw"
            raise NotFoundError(f"no {name} chart for plan '{plan_id}': {why}", code="chart_unavailable")
        return picture


class _Changes(BaseModel):
    lines: list[str]


def _said(script: str, chinese: str, english: str, quoting: str = "") -> str:
    """A change as a reader of the plan's ``script`` reads it, the plan's own words (``quoting``) as written."""
    if script == "en":
        return english
    return script_boundary.text(chinese, "zh-Hant" if script == "zh-Hant" else "zh-Hans",
                                script_boundary.own_words(quoting))


def _new(before: list[Finding], after: list[Finding]) -> list[Finding]:
    seen = {_finding_key(f) for f in before}
    return [f for f in after if _finding_key(f) not in seen]


def _chapter_index(plan: Plan, key: str) -> int:
    for i, chapter in enumerate(plan.chapters):
        if chapter.key == key:
            return i
    for i, chapter in enumerate(plan.chapters):
        if chapter.title.strip() == key.strip():
            return i
    known = ", ".join(c.key or c.title for c in plan.chapters)
    raise NotFoundError(f"plan has no section '{key}': use one of {known}")


__all__ = ["Change", "Export", "InlineJobs", "JobSubmitter", "PlanService", "PlanState", "revalidated", "template"]
