"""What this agent can print, by print job kind (`print_jobs.kind`).

The agent claims with `claim_print_jobs_v2(p_kinds)` listing exactly these kinds, so a Pi never
claims a kind it has no renderer for: a job of a newer kind stays queued for a station that
renders it, instead of coming out as a name tag. A new kind is one pure function here
(payload -> PDF bytes), validating its payload the way `LabelData.from_payload` does."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hm.errors import HmError
from pi_agent.label import LabelData, layout_named, render_label

Renderer = Callable[[dict[str, Any]], bytes]


class UnrenderableKind(HmError):
    """A job of a kind this agent has no renderer for (the claim should never hand one out)."""


def render_name_tag(payload: dict[str, Any]) -> bytes:
    label = LabelData.from_payload(payload)
    return render_label(label, layout_named(label.layout))


def render_test_print(payload: dict[str, Any]) -> bytes:
    """A tag that says which station printed it, sent from the app (`queue_test_print`) to
    check the whole path: Supabase, this agent, CUPS and the printer."""
    station = str(payload.get("station_name") or "this station")
    label = LabelData(
        display_name="Test print",
        company=station,
        event_name="Hello Miami print station check",
        qr_token=None,
    )
    return render_label(label, layout_named("default"))


RENDERERS: Mapping[str, Renderer] = {
    "name_tag": render_name_tag,
    "test_print": render_test_print,
}


def render(kind: str, payload: dict[str, Any]) -> bytes:
    """The job's PDF. Raises `UnrenderableKind`, or the renderer's own error for a payload that
    does not fit its kind (`LabelDataError` for a name tag)."""
    renderer = RENDERERS.get(kind)
    if renderer is None:
        raise UnrenderableKind(f"this agent cannot print jobs of kind {kind!r}")
    return renderer(payload)
