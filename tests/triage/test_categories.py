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


def test_a_category_file_with_a_mistake_is_refused_with_its_name(tmp_path) -> None:
    import pytest

    from triage.categories import CategoryError, load_categories

    folder = tmp_path / "overdose_poisoning"
    folder.mkdir()
    path = folder / "category.yaml"
    path.write_text("id: overdose_poisoning\norder: 1\nseverity: acute\nlabel: {fi: a, sv: b, en: c}\n")
    with pytest.raises(CategoryError, match=r"overdose_poisoning/category\.yaml: an acute category needs"):
        load_categories(tmp_path)
    path.write_text("id: overdose_poisoning\norder: 1\nseverity: urgent\nlabel: {fi: a, sv: b}\n")
    with pytest.raises(CategoryError, match="label needs a text in en"):
        load_categories(tmp_path)
    path.write_text("id: overdose_poisoning\norder: 1\nseverity: urgent\nlabel: {fi: a, sv: b, en: c}\n")
    assert list(load_categories(tmp_path)) == ["overdose_poisoning"]
