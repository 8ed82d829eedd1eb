"""What a session of a procedure holds, stage by stage, derived from the knowledge base.

The room is held for the whole session plus its cleaning. The practitioner is held only by
attended stages, and a device type only by the stages that use it (plus its cleaning), so a
waiting stage (anaesthetic cream, a mask setting) frees them for other work.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from corneum.knowledge import KnowledgeBase

Span = tuple[int, int]
"""Minutes from the session's start: [start, end)."""


@dataclass(frozen=True, slots=True)
class Requirement:
    procedure_id: str
    qualifications: frozenset[str]
    """A practitioner with any one of these may perform it."""
    minutes: int
    practitioner_spans: tuple[Span, ...]
    device_spans: tuple[tuple[str, tuple[Span, ...]], ...]
    """Per scheduled device type, the spans that need one unit of it."""
    room_cleaning: int
    device_cleaning: int

    @property
    def room_span(self) -> Span:
        return (0, self.minutes + self.room_cleaning)


class NotBookableError(ValueError):
    """The procedure is not done in the clinic (a home procedure) or has no booking defaults."""


def requirement_for(procedure_id: str, kb: KnowledgeBase) -> Requirement:
    procedure = kb.procedure(procedure_id)
    defaults = kb.booking.get(procedure_id)
    qualifications = frozenset(procedure.performers) - {"client"}
    if defaults is None or not qualifications:
        raise NotBookableError(f"{procedure_id} is not booked in the clinic")
    scheduled = {term.code for term in kb.vocabulary.equipment if term.scheduled}
    offset = 0
    attended: list[Span] = []
    devices: dict[str, list[Span]] = {}
    for stage, minutes in zip(procedure.stages, defaults.stage_minutes, strict=True):
        span = (offset, offset + minutes)
        if stage.attended:
            attended.append(span)
        for device in stage.equipment:
            if device in scheduled:
                devices.setdefault(device, []).append(span)
        offset += minutes
    return Requirement(
        procedure_id=procedure_id,
        qualifications=qualifications,
        minutes=offset,
        practitioner_spans=merge(attended),
        device_spans=tuple((kind, merge(spans)) for kind, spans in sorted(devices.items())),
        room_cleaning=defaults.room_cleaning_minutes,
        device_cleaning=defaults.device_cleaning_minutes,
    )


def merge(spans: list[Span]) -> tuple[Span, ...]:
    """Adjacent or overlapping spans as one."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def lengthened(need: Requirement, minutes: int) -> Requirement:
    """``need`` as a clinic holds it for ``minutes`` (never less than its own): the extra time
    belongs to the last stage, so the room, and the practitioner if she attends that stage, are
    held to the new end."""
    if minutes <= need.minutes:
        return need
    spans = need.practitioner_spans
    if spans and spans[-1][1] == need.minutes:
        spans = (*spans[:-1], (spans[-1][0], minutes))
    return replace(need, minutes=minutes, practitioner_spans=spans)
