"""What the resident told about who needs help, in the catalogue's vocabulary."""

from __future__ import annotations

from finnish_nlu.entity_normaliser import normalise_person

# person role (finnish_nlu) -> catalogue target group
_TARGET_GROUP_BY_PERSON = {
    "child": "families_with_children",
    "grandparent": "older_people",
    "parent": "older_people",
}


def target_group_for_person(person: str | None) -> str | None:
    role = normalise_person(person) if person else None
    return _TARGET_GROUP_BY_PERSON.get(role or "")
