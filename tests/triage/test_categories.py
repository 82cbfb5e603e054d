from __future__ import annotations

from triage.categories import CATEGORIES, URGENCY_BY_SEVERITY, Severity


def test_category_ids_and_default_severities() -> None:
    by_severity = {
        level: {key for key, cat in CATEGORIES.items() if cat.severity is level} for level in Severity
    }
    assert by_severity[Severity.ACUTE] == {
        "suicide_self_harm", "overdose_poisoning", "medical_emergency", "domestic_violence", "child_at_risk",
        "threat_to_others",
    }
    assert by_severity[Severity.URGENT] == {
        "substance_crisis", "no_money_food_medicine", "eviction_homelessness", "older_relative_not_managing",
        "exploitation_threats",
    }
    assert by_severity[Severity.CONCERN] == {"not_coping", "digital_exclusion"}
    assert all(cat.id == key and cat.label for key, cat in CATEGORIES.items())


def test_severity_order_and_urgency() -> None:
    assert Severity.CONCERN < Severity.URGENT < Severity.ACUTE
    assert URGENCY_BY_SEVERITY == {
        Severity.ACUTE: "acute", Severity.URGENT: "urgent", Severity.CONCERN: "normal"
    }
