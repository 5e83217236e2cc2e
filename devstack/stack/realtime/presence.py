"""Presence on one topic, as Phoenix.Presence reports it: metas per key, each with a phx_ref."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any


def new_ref() -> str:
    return secrets.token_urlsafe(9)


@dataclass
class TopicPresence:
    # key -> {owner id -> meta}; an owner is one joined channel.
    metas: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)

    def state(self) -> dict[str, Any]:
        """The `presence_state` payload."""
        return {key: {"metas": list(owners.values())} for key, owners in self.metas.items()}

    def track(self, key: str, owner: int, payload: dict[str, Any]) -> dict[str, Any]:
        """Track or update an owner's meta; returns the `presence_diff` payload."""
        owners = self.metas.setdefault(key, {})
        previous = owners.get(owner)
        meta = {**payload, "phx_ref": new_ref()}
        if previous is not None:
            meta["phx_ref_prev"] = previous["phx_ref"]
        owners[owner] = meta
        leaves = {key: {"metas": [previous]}} if previous is not None else {}
        return {"joins": {key: {"metas": [meta]}}, "leaves": leaves}

    def untrack(self, key: str, owner: int) -> dict[str, Any] | None:
        """Remove an owner's meta; the `presence_diff` payload, or None if it had none."""
        owners = self.metas.get(key, {})
        meta = owners.pop(owner, None)
        if not owners:
            self.metas.pop(key, None)
        if meta is None:
            return None
        return {"joins": {}, "leaves": {key: {"metas": [meta]}}}

    @property
    def empty(self) -> bool:
        return not self.metas
