"""Picking services for a topic or a crisis category. Pure functions over a loaded catalogue."""

from __future__ import annotations

from service_catalogue.loader import Catalogue
from service_catalogue.models import ProviderType, Service
from service_catalogue.topics import TOPICS

# Tie-break after priority: national self-service first (the resident can act right away),
# then the county, then NGOs. Keeps the order deterministic across reloads.
_PROVIDER_ORDER = {
    ProviderType.omaolo: 0,
    ProviderType.kela: 1,
    ProviderType.tyollisyyspalvelut: 2,
    ProviderType.hyvinvointialue: 3,
    ProviderType.muu_julkinen: 4,
    ProviderType.jarjesto: 5,
    ProviderType.hatapalvelu: 6,
}


def topics_without_self_service(catalogue: Catalogue) -> list[str]:
    """Topics no segment-1 (self-service) entry answers: their topic button would have no card."""
    services = list(catalogue.services.values())
    return [t for t in TOPICS if not any(t in s.topics and 1 in s.segments for s in services)]


def find_services(
    catalogue: Catalogue,
    topic: str,
    *,
    municipality: str | None = None,
    target_group: str | None = None,
    segment: int = 1,
    limit: int = 3,
) -> list[Service]:
    """Services for ``topic`` usable in ``segment``, best first.

    A given municipality excludes local services of other areas; a matching target group ranks a
    service above the general ones without excluding anything.
    """
    candidates = [
        s
        for s in catalogue.services.values()
        if topic in s.topics and segment in s.segments and (not municipality or s.serves(municipality))
    ]

    def key(service: Service) -> tuple:
        boosted = bool(target_group) and target_group in service.target_groups
        return (not boosted, -service.priority, _PROVIDER_ORDER[service.provider_type], service.id)

    return sorted(candidates, key=key)[: max(limit, 0)]


def crisis_services(catalogue: Catalogue, category: str) -> list[Service]:
    """Services that help with a risk category: 24/7 first, in the order of crisis_contacts.yaml."""
    listed = catalogue.crisis_contacts.get(category, [])
    position = {service_id: index for index, service_id in enumerate(listed)}
    matching = [s for s in catalogue.services.values() if category in s.risk_categories]

    def key(service: Service) -> tuple:
        return (
            not service.available_24_7,
            position.get(service.id, len(position)),
            -service.priority,
            service.id,
        )

    return sorted(matching, key=key)
