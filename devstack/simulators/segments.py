"""How many SMS segments a body takes (what Twilio reports as `num_segments`)."""

from __future__ import annotations

# GSM 03.38 basic set; the extension set costs two septets each.
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")


def count_segments(body: str) -> int:
    """160 GSM-7 septets (153 when split) or 70 UCS-2 units (67 when split) per segment."""
    if all(char in _GSM_BASIC or char in _GSM_EXTENDED for char in body):
        length = sum(2 if char in _GSM_EXTENDED else 1 for char in body)
        single, split = 160, 153
    else:
        length = len(body.encode("utf-16-le")) // 2
        single, split = 70, 67
    if length <= single:
        return 1
    return -(-length // split)
