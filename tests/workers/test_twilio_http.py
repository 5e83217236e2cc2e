"""The SDK's parameters become the form Twilio expects (pure logic)."""

from __future__ import annotations

from workers.twilio_http import form_pairs


def test_a_list_repeats_its_key_and_booleans_are_lowercase() -> None:
    assert form_pairs({"To": "+13055550100", "MediaUrl": ["https://a/1", "https://a/2"]}) == [
        ("To", "+13055550100"),
        ("MediaUrl", "https://a/1"),
        ("MediaUrl", "https://a/2"),
    ]
    assert form_pairs({"SmartEncoded": True, "ValidityPeriod": 600}) == [
        ("SmartEncoded", "true"),
        ("ValidityPeriod", "600"),
    ]


def test_no_parameters_stay_none() -> None:
    assert form_pairs(None) is None
