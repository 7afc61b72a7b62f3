"""Registry checks (social security, property ownership, prior housing support) behind one adapter interface.

The workflow only ever calls ``adapter.check(...)`` and stores the ``RegistryAnswer`` it returns, so a government
integration can replace the shipped attestation adapter by registering itself in ``ADAPTERS`` under the same
registries, without touching services, views or templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from jood.cases.models import REGISTRIES, REGISTRY_OUTCOMES
from jood.core.errors import DomainError


@dataclass(frozen=True)
class RegistryAnswer:
    registry: str
    outcome: str  # "clear" (nothing on record) or "found"
    evidence: str  # what the answer rests on, kept with it
    adapter: str


class RegistryAdapter(Protocol):
    name: str

    def check(self, case, registry: str, *, actor, **inputs) -> RegistryAnswer: ...


class AttestationError(DomainError):
    pass


class AttestationAdapter:
    """A platform reviewer consulted the registry and attests the answer, describing the evidence they saw."""

    name = "reviewer_attestation"

    def check(self, case, registry: str, *, actor, outcome: str = "", evidence: str = "", **inputs) -> RegistryAnswer:
        if registry not in REGISTRIES:
            raise AttestationError("unknown_registry")
        if outcome not in REGISTRY_OUTCOMES:
            raise AttestationError("outcome_required")
        if len((evidence or "").strip()) < 10:
            raise AttestationError("evidence_required")
        return RegistryAnswer(registry, outcome, evidence.strip(), self.name)


ADAPTERS: dict[str, RegistryAdapter] = {registry: AttestationAdapter() for registry in REGISTRIES}


def adapter_for(registry: str) -> RegistryAdapter:
    return ADAPTERS[registry]
