"""Readable terminal output (Rich) and the JSON shapes of the knowledge-base commands."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from corneum.assessment import Assessment
from corneum.knowledge import CompiledRule, KnowledgeBase
from corneum.knowledge.model import Course, MinuteRange, Procedure

VERDICT_STYLE = {"suitable": "green", "caution": "yellow", "contraindicated": "bold red"}
VERDICT_LABEL = {"suitable": "Suitable", "caution": "Caution", "contraindicated": "Contraindicated"}
VERDICT_ORDER = {verdict: rank for rank, verdict in enumerate(VERDICT_STYLE)}
"""Tables list the suitable first, then those with cautions, the contraindicated last."""
BOOKED_MARK = " (booking default)"
"""After a stage's minutes taken from the calendar's defaults: its source states none."""
SAFETY_EFFECTS = {"contraindicated", "refer", "relative_contraindication", "caution", "allowed"}


WIDE = 140
"""Width when stdout is not a terminal (a pipe or a file), so tables are not squeezed to 80."""


def console() -> Console:
    probe = Console()
    return Console(highlight=False, width=None if probe.is_terminal else WIDE)


def minutes(value: MinuteRange | None) -> str:
    if value is None:
        return "-"
    return f"{value.min} min" if value.min == value.max else f"{value.min}-{value.max} min"


def minute_range(value: MinuteRange | None) -> dict[str, int] | None:
    return None if value is None else {"min": value.min, "max": value.max}


def assessment(result: Assessment, kb: KnowledgeBase) -> None:
    out = console()
    day = result.assessed_on
    table = Table(title=f"Assessment on {day.day} {day:%B %Y}", show_lines=True)
    table.add_column("Procedure")
    table.add_column("Verdict")
    table.add_column("Fit", justify="right")
    table.add_column("Why (source)")
    ranked_items = sorted(result.procedures, key=lambda p: (VERDICT_ORDER[p.verdict], -p.score))
    for item in ranked_items:
        why = [
            f"{r.effect.replace('_', ' ')}: {r.text} ({r.source})"
            for r in item.reasons
            if r.effect in SAFETY_EFFECTS or r.effect in ("no_contraindication", "out_of_area")
        ]
        concerns = [kb.label(r.code or "") for r in item.reasons if r.effect == "indicated"]
        if concerns:
            why.append("treats: " + ", ".join(concerns))
        style = VERDICT_STYLE[item.verdict]
        verdict = f"[{style}]{VERDICT_LABEL[item.verdict]}[/]"
        table.add_row(item.name, verdict, f"{item.score:.2f}", "\n".join(why))
    out.print(table)
    for flag in result.referrals:
        out.print(f"[bold red]Refer to a dermatologist:[/] {flag.text} ({flag.source})")
    names = {p.id: p.name for p in kb.procedures}
    ranked = [f"{i}. {names[pid]}" for i, pid in enumerate(result.recommended, start=1)]
    out.print("Recommended: " + ("; ".join(ranked) if ranked else "none"))
    out.print(
        f"Knowledge base {result.knowledge_base_version}, sha256 {result.knowledge_base_sha256}"
    )


def procedure_summary(procedure: Procedure) -> dict[str, Any]:
    return {
        "id": procedure.id,
        "name": procedure.name,
        "performers": list(procedure.performers),
        "areas": list(procedure.areas),
        "total_minutes": minute_range(procedure.duration),
    }


def procedure_detail(procedure: Procedure, kb: KnowledgeBase) -> dict[str, Any]:
    data = procedure.model_dump(mode="json")
    data["total_minutes"] = minute_range(procedure.duration)
    data["rules"] = [
        {
            "id": rule.id,
            "effect": rule.effect,
            "code": rule.code,
            "phototypes": sorted(rule.phototypes),
            "under_age": rule.under_age,
            "areas": sorted(rule.areas),
            "washout_months": rule.washout_months,
            "washout_days": rule.washout_days,
            "reason": rule.reason,
            "source": rule.source,
        }
        for rule in kb.rules[procedure.id]
    ]
    return data


def procedure_table(kb: KnowledgeBase) -> None:
    table = Table(title="Procedures")
    for column in ("ID", "Name", "Performed by", "Areas", "Duration"):
        table.add_column(column)
    for p in kb.procedures:
        table.add_row(
            p.id,
            p.name,
            ", ".join(kb.label(x) for x in p.performers),
            ", ".join(kb.label(x) for x in p.areas),
            minutes(p.duration),
        )
    console().print(table)


def procedure_text(procedure: Procedure, kb: KnowledgeBase) -> None:
    out = console()
    out.print(f"[bold]{procedure.name}[/] ({procedure.id})")
    out.print(procedure.summary.strip())
    out.print(f"Performed by: {', '.join(kb.label(x) for x in procedure.performers)}")
    out.print(f"Areas: {', '.join(kb.label(x) for x in procedure.areas)}")
    out.print(f"Total: {minutes(procedure.duration)}")
    stages = Table(title="Stages")
    for column in ("#", "Stage", "Duration", "Timer", "What it does (source)"):
        stages.add_column(column)
    booked = kb.booking.get(procedure.id)
    for number, stage in enumerate(procedure.stages, start=1):
        stages.add_row(
            str(number),
            stage.name,
            stage_minutes(
                stage.duration_minutes, booked.stage_minutes[number - 1] if booked else None
            ),
            "yes" if stage.timer else "",
            f"{stage.purpose.strip()} ({stage.source})",
        )
    out.print(stages)
    rules = Table(title="Rules")
    for column in ("Effect", "Applies to", "Reason (source)"):
        rules.add_column(column)
    for rule in kb.rules[procedure.id]:
        subject = rule_subject(rule, kb)
        rules.add_row(
            rule.effect.replace("_", " "), subject, f"{rule.reason.strip()} ({rule.source})"
        )
    out.print(rules)
    if procedure.course is not None:
        out.print(course_sentence(procedure.course))
    for use in procedure.agent_uses:
        contact = minutes(use.contact_minutes) if use.contact_minutes else "end point"
        out.print(
            f"Agent: {use.agent} ({use.depth}; {', '.join(kb.label(x) for x in use.performers)}; "
            f"{contact}): {use.end_point} ({use.source})"
        )
    for step in procedure.pre_steps:
        out.print(f"Before the first session: {step.name}: {step.purpose.strip()} ({step.source})")
    for title, items in (
        ("Before", procedure.pre_treatment),
        ("Aftercare", procedure.aftercare),
        ("Season", procedure.season_notes),
    ):
        for item in items:
            out.print(f"{title}: {item.text} ({item.source})")


def stage_minutes(stated: MinuteRange | None, booked: int | None) -> str:
    """The source's minutes for a stage; where it states none, the calendar's, marked so."""
    if stated is not None or booked is None:
        return minutes(stated)
    return f"{booked} min{BOOKED_MARK}"


def course_sentence(course: Course) -> str:
    """The course as a person says it: "A course of 4 to 6 sessions, 10 to 14 days apart."."""
    parts = []
    if course.sessions is not None:
        low, high = course.sessions.min, course.sessions.max
        count = f"{low}" if low == high else f"{low} to {high}"
        parts.append(f"a course of {count} session{'s' if high > 1 else ''}")
    if course.interval_days is not None:
        low, most = course.interval_days.min, course.interval_days.max
        gap = f"at least {low}" if most is None else f"{low}" if low == most else f"{low} to {most}"
        parts.append(f"{gap} days apart")
    said = ", ".join(parts) if parts else "a course"
    note = f" {course.note.strip()}" if course.note else ""
    return f"Course: {said[0].upper()}{said[1:]}.{note} ({course.source})"


def rule_subject(rule: CompiledRule, kb: KnowledgeBase) -> str:
    """What a rule is about, as the table shows it."""
    if rule.code:
        return kb.label(rule.code)
    if rule.under_age is not None:
        return f"age under {rule.under_age}"
    if rule.phototypes:
        return "phototypes " + ", ".join(str(p) for p in sorted(rule.phototypes))
    return "area: " + ", ".join(kb.label(a) for a in sorted(rule.areas))


def codes(kb: KnowledgeBase) -> None:
    out = console()
    vocab = kb.vocabulary
    groups = {
        "concerns": vocab.concerns,
        "conditions": vocab.conditions,
        "medications": vocab.medications,
        "allergies": vocab.allergies,
        "risk_factors": vocab.risk_factors,
        "skin_types": vocab.skin_types,
        "areas": vocab.areas,
        "performers": vocab.performers,
        "equipment": vocab.equipment,
    }
    for name, terms in groups.items():
        table = Table(title=name)
        table.add_column("Code")
        table.add_column("Label")
        for term in terms:
            table.add_row(term.code, term.label)
        out.print(table)
    phototypes = Table(title="phototypes (Fitzpatrick)")
    phototypes.add_column("Value")
    phototypes.add_column("Description")
    for photo in vocab.phototypes:
        phototypes.add_row(str(photo.value), f"{photo.label}: {photo.description}")
    out.print(phototypes)


def kb_summary(kb: KnowledgeBase) -> None:
    rule_count = len({rule.id for rules in kb.rules.values() for rule in rules})
    out = console()
    out.print(f"knowledge base {kb.version}: OK")
    out.print(f"sha256 {kb.sha256}")
    out.print(
        f"{len(kb.procedures)} procedures, {rule_count} rules, {len(kb.labels)} codes, "
        f"{len(kb.sources)} sources"
    )
