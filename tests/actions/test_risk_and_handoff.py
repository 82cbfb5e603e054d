"""Risk reply, consent and case creation, against a real gateway with a temporary database."""

from __future__ import annotations

from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionStartHandoff, ActionSubmitHandoff
from actions.risk import ActionHandleRisk
from tests.actions.conftest import make_tracker


def _custom(dispatcher, kind: str) -> list[dict]:
    return [m["custom"] for m in dispatcher.messages if (m.get("custom") or {}).get("type") == kind]


def test_acute_message_gets_the_crisis_card_first_and_a_stored_case(dispatcher, live_gateway):
    tracker = make_tracker("mä en jaksa enää ja haluun tappaa itteni", intent="ask_mental_health")
    events = ActionHandleRisk().run(dispatcher, tracker, {})

    first = dispatcher.messages[0]["custom"]
    assert first["type"] == "crisis"
    assert first["category"] == "suicide_self_harm"
    assert "112" in [c["phone"] for c in first["contacts"]]
    handoff = _custom(dispatcher, "handoff")[0]
    stored = live_gateway.handoff(handoff["handoff_id"])
    assert stored["urgency"] == "acute"
    assert stored["consent"] is False
    assert "suicide_self_harm" in [s["category"] for s in stored["risk_signals"]]
    assert "TILANNE" in stored["summary"]
    assert SlotSet("handoff_id", handoff["handoff_id"]) in events
    assert FollowupAction("handoff_form") in events


def test_the_same_signal_is_not_handled_twice(dispatcher, live_gateway):
    tracker = make_tracker(
        "haluun kuolla", slots={"risk_handled": ["suicide_self_harm:acute"], "handoff_id": "x"}
    )
    assert ActionHandleRisk().run(dispatcher, tracker, {}) == []
    assert dispatcher.messages == []


def test_urgent_message_asks_consent_before_any_case(dispatcher, live_gateway):
    tracker = make_tracker("meil ei oo rahaa ruokaan ollenkaan", intent="ask_social_assistance")
    events = ActionHandleRisk().run(dispatcher, tracker, {})

    assert _custom(dispatcher, "crisis") == []
    assert _custom(dispatcher, "handoff") == []  # no case without consent
    assert SlotSet("risk_severity", "urgent") in events
    assert FollowupAction("handoff_form") in events


def test_consented_callback_creates_a_case(dispatcher, live_gateway):
    tracker = make_tracker(
        "meil ei oo rahaa ruokaan ollenkaan",
        "joo",
        "soittakaa",
        "[puhelinnumero]",
        intent="inform",
        slots={
            "handoff_consent": True,
            "contact_method": "callback",
            "callback_phone": "given",
            "risk_severity": "urgent",
            "sa_coping": "huonosti",
            "sa_services": "ei",
            "sa_support": "vahan",
        },
    )
    events = ActionSubmitHandoff().run(dispatcher, tracker, {})
    handoff = _custom(dispatcher, "handoff")[0]
    stored = live_gateway.handoff(handoff["handoff_id"])
    assert stored["consent"] is True
    assert stored["contact"]["method"] == "callback"
    assert stored["urgency"] == "urgent"
    assert stored["segment"] in (2, 3, 4)
    assert "soittaa" in dispatcher.messages[0]["text"]
    assert SlotSet("handoff_id", handoff["handoff_id"]) in events


def test_declined_consent_creates_no_case_but_gives_routes(dispatcher, live_gateway):
    tracker = make_tracker(
        "meil ei oo rahaa ruokaan",
        "en halua",
        intent="deny",
        slots={"handoff_consent": False, "risk_severity": "urgent"},
    )
    events = ActionSubmitHandoff().run(dispatcher, tracker, {})
    assert _custom(dispatcher, "handoff") == []
    assert _custom(dispatcher, "service_card")
    assert not any(e.get("name") == "handoff_id" and e.get("value") for e in events)


def test_unreachable_gateway_tells_the_resident_where_to_get_help(dispatcher, unreachable_gateway):
    tracker = make_tracker("haluun tappaa itteni", intent="ask_mental_health")
    ActionHandleRisk().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["custom"]["type"] == "crisis"  # contacts come first even then
    assert any(
        "112" in (m.get("text") or "") and "teknisen vian" in (m.get("text") or "")
        for m in dispatcher.messages
    )
    assert _custom(dispatcher, "handoff") == []


def test_asking_for_a_human_is_consent(dispatcher):
    events = ActionStartHandoff().run(dispatcher, make_tracker("haluun puhua ihmisen kanssa"), {})
    assert SlotSet("handoff_consent", True) in events
    assert FollowupAction("handoff_form") in events


def test_an_acute_signal_after_a_case_exists_raises_the_case_to_acute(dispatcher, live_gateway):
    first = make_tracker(
        "meil ei oo rahaa ruokaan ollenkaan",
        intent="ask_social_assistance",
        slots={
            "handoff_consent": True,
            "contact_method": "self",
            "risk_severity": "urgent",
            "sa_coping": "huonosti",
            "sa_services": "ei",
            "sa_support": "vahan",
        },
    )
    ActionSubmitHandoff().run(dispatcher, first, {})
    case_id = _custom(dispatcher, "handoff")[0]["handoff_id"]
    assert live_gateway.handoff(case_id)["urgency"] == "urgent"

    later = CollectingDispatcher()
    tracker = make_tracker(
        "meil ei oo rahaa ruokaan ollenkaan",
        "en jaksa enää, haluun tappaa itteni",
        intent="ask_mental_health",
        slots={
            "handoff_id": case_id,
            "risk_handled": ["no_money_food_medicine:urgent"],
            "contact_method": "self",
        },
    )
    ActionHandleRisk().run(later, tracker, {})
    assert later.messages[0]["custom"]["type"] == "crisis"
    stored = live_gateway.handoff(case_id)
    assert stored["urgency"] == "acute"
    assert "suicide_self_harm" in [s["category"] for s in stored["risk_signals"]]
    assert _custom(later, "handoff")[0]["handoff_id"] == case_id


def _unsure(category: str = "suicide_self_harm", quote: str = "olen vain taakka kaikille") -> dict:
    """The screening policy's hand-over (risk_assessment slot): no signal, one possible acute category."""
    possible = {"category": category, "severity": "acute", "quote": quote, "message_index": 0}
    return {"signals": [], "possible": [possible], "messages": 1}


def test_unsure_screening_asks_directly_with_112_and_the_24_7_line(dispatcher, live_gateway):
    tracker = make_tracker("olen vain taakka kaikille", intent="out_of_scope",
                           slots={"risk_assessment": _unsure()})
    events = ActionHandleRisk().run(dispatcher, tracker, {})

    [message] = dispatcher.messages
    question = message["custom"]
    assert question["type"] == "risk_question" and question["category"] == "suicide_self_harm"
    phones = [c["phone"] for c in question["contacts"]]
    assert phones[0] == "112" and len(phones) == 2
    assert "112" in message["text"] and phones[1] in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny"]
    assert SlotSet("risk_question", "suicide_self_harm") in events
    assert SlotSet("risk_handled", ["suicide_self_harm:asked"]) in events
    assert _custom(dispatcher, "handoff") == []  # asking is not yet a case


def test_an_answer_that_is_not_a_clear_no_is_acute(dispatcher, live_gateway):
    tracker = make_tracker(
        "olen vain taakka kaikille", "en mä tiiä", intent="out_of_scope",
        slots={"risk_question": "suicide_self_harm", "risk_handled": ["suicide_self_harm:asked"],
               "risk_assessment": {**_unsure(), "messages": 2}},
    )
    events = ActionHandleRisk().run(dispatcher, tracker, {})

    assert dispatcher.messages[0]["custom"]["type"] == "crisis"
    assert dispatcher.messages[0]["custom"]["category"] == "suicide_self_harm"
    stored = live_gateway.handoff(_custom(dispatcher, "handoff")[0]["handoff_id"])
    assert stored["urgency"] == "acute"
    [signal] = stored["risk_signals"]
    assert "taakka" in signal["quote"] and "en mä tiiä" in signal["quote"]
    assert SlotSet("risk_question", None) in events
    assert FollowupAction("handoff_form") in events


def test_a_clear_no_is_remembered_and_nothing_is_stored(dispatcher, live_gateway):
    tracker = make_tracker(
        "olen vain taakka kaikille", "/deny", intent="deny",
        slots={"risk_question": "suicide_self_harm", "risk_handled": ["suicide_self_harm:asked"],
               "risk_assessment": {**_unsure(), "messages": 1}},
    )
    events = ActionHandleRisk().run(dispatcher, tracker, {})

    [message] = dispatcher.messages
    assert "Kiitos, että vastasit" in message["text"] and not message.get("custom")
    assert SlotSet("risk_question", None) in events
    assert not any(e.get("name") == "handoff_id" for e in events)
    # the same cue later: not asked again
    later = make_tracker("olen vain taakka kaikille", "/deny", "miten haen asumistukea",
                         slots={"risk_handled": ["suicide_self_harm:asked"],
                                "risk_assessment": {**_unsure(), "messages": 2}})
    dispatcher.messages.clear()
    assert ActionHandleRisk().run(dispatcher, later, {}) == []


def test_after_a_clear_no_the_residents_own_question_is_answered(dispatcher, live_gateway):
    tracker = make_tracker(
        "kuumetta kolme päivää, pitäiskö mennä lääkäriin", "ei", intent="deny",
        slots={"risk_question": "medical_emergency", "risk_handled": ["medical_emergency:asked"],
               "risk_assessment": {**_unsure("medical_emergency", "kuumetta kolme päivää"), "messages": 2}},
    )
    # the message the question interrupted
    tracker.events[1]["parse_data"] = {"intent": {"name": "ask_symptoms"}}
    events = ActionHandleRisk().run(dispatcher, tracker, {})
    assert "Kiitos, että vastasit" in dispatcher.messages[0]["text"]
    assert _custom(dispatcher, "service_card"), dispatcher.messages
    assert _custom(dispatcher, "crisis") == []
    assert SlotSet("last_topic", "symptoms") in events
