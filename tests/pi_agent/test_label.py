"""The name-tag renderer: page size, text present, everything inside the margins, any name."""

from __future__ import annotations

import io
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from pi_agent.fonts import REPLACEMENT, load_font
from pi_agent.label import (
    LabelData,
    LabelDataError,
    LabelLayout,
    LabelPlan,
    layout_named,
    plan_label,
    render_label,
)

DEFAULT = layout_named("default")


def _label(**fields: str | None) -> LabelData:
    payload: dict[str, str | None] = {
        "first_name": "Ana",
        "last_name": "García",
        "display_name": "Ana García",
        "pronouns": "she/her",
        "company": "Acme",
        "title": "CTO",
        "event_name": "Hello Miami #12",
        "qr_token": "tok_123",
        "layout": "default",
    }
    payload.update(fields)
    return LabelData.from_payload(payload)


def _text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def _assert_inside_margins(plan: LabelPlan, layout: LabelLayout) -> None:
    for line in plan.texts:
        assert line.x >= layout.margin - 1e-6, line
        assert line.x + line.width <= layout.page_width - layout.margin + 1e-6, line
        assert line.bottom >= layout.margin - 1e-6, line
        assert line.top <= layout.page_height - layout.margin + 1e-6, line
    if plan.qr:
        assert plan.qr.x + plan.qr.size <= layout.page_width - layout.margin + 1e-6
        for line in plan.texts:
            assert line.x + line.width <= plan.qr.x + 1e-6, "text runs into the QR code"
    # Lines never overlap each other.
    ordered = sorted(plan.texts, key=lambda line: -line.top)
    for upper, lower in itertools.pairwise(ordered):
        assert lower.top <= upper.bottom + 1e-6, (upper, lower)


def test_page_is_two_by_four_inches_landscape() -> None:
    reader = PdfReader(io.BytesIO(render_label(_label(), DEFAULT)))
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == (288.0, 144.0)


def test_expected_text_is_present() -> None:
    text = _text_of(render_label(_label(), DEFAULT))
    for expected in ("Ana García", "Acme · CTO", "she/her", "Hello Miami #12"):
        assert expected in text


def test_rendering_is_deterministic() -> None:
    assert render_label(_label(), DEFAULT) == render_label(_label(), DEFAULT)


def test_short_name_is_large_on_one_line() -> None:
    plan = plan_label(_label(display_name="Ana"), DEFAULT)
    assert len(plan.name) == 1
    assert plan.name[0].size == DEFAULT.name_max_size
    _assert_inside_margins(plan, DEFAULT)


def test_long_name_wraps_between_words_and_fits() -> None:
    name = "Maria Fernanda Castellanos-Villanueva de la Rosa"
    plan = plan_label(_label(display_name=name), DEFAULT)
    assert len(plan.name) == 2
    assert " ".join(line.text for line in plan.name).replace("- ", "-") == name
    _assert_inside_margins(plan, DEFAULT)


def test_one_enormous_word_shrinks_but_is_never_clipped() -> None:
    name = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft"
    plan = plan_label(_label(display_name=name), DEFAULT)
    assert "".join(line.text for line in plan.name) == name
    _assert_inside_margins(plan, DEFAULT)


def test_accents_greek_and_cyrillic_render_as_themselves() -> None:
    name = "Zoë Ångström Σωκράτης Дмитрий"
    text = _text_of(render_label(_label(display_name=name), DEFAULT))
    for word in name.split():
        assert word in text


def test_glyphs_the_font_lacks_are_replaced_on_purpose() -> None:
    bold = load_font(DEFAULT.bold_font_file)
    # CJK has no glyph in DejaVu: replaced by '?', never drawn as a box.
    assert bold.printable("山田 太郎") == "?? ??"
    # A compatibility character falls back to its NFKD decomposition.
    assert bold.printable("\ufb01") in ("\ufb01", "fi")
    # Invisible format characters vanish; odd spaces become spaces.
    assert bold.printable("A\u200db\u00a0c") == "Ab c"
    plan = plan_label(_label(display_name="山田 太郎 \U0001fae0"), DEFAULT)
    drawn = "".join(line.text for line in plan.texts)
    assert all(ord(char) in bold.coverage or char == " " for char in drawn)
    assert REPLACEMENT in drawn


def test_without_qr_token_the_name_uses_the_full_width() -> None:
    plan = plan_label(_label(qr_token=None), DEFAULT)
    assert plan.qr is None
    with_qr = plan_label(_label(display_name="Bartholomew Featherstonehaugh"), DEFAULT)
    without = plan_label(
        _label(display_name="Bartholomew Featherstonehaugh", qr_token=None), DEFAULT
    )
    assert with_qr.qr is not None
    assert without.name[0].size >= with_qr.name[0].size


def test_long_subtitle_is_cut_with_an_ellipsis_inside_the_margins() -> None:
    plan = plan_label(_label(company="X" * 200, title="Chief Everything Officer"), DEFAULT)
    assert any(line.text.endswith("…") for line in plan.details)
    _assert_inside_margins(plan, DEFAULT)


def test_payload_without_a_name_is_refused() -> None:
    with pytest.raises(LabelDataError, match="name"):
        LabelData.from_payload({"first_name": " ", "display_name": "", "event_name": "x"})


def test_unknown_layout_falls_back_to_default() -> None:
    assert layout_named("from-the-future") == DEFAULT


@settings(max_examples=60, deadline=None)
@given(
    name=st.text(min_size=1, max_size=80).filter(lambda text: text.strip()),
    company=st.one_of(st.none(), st.text(max_size=60)),
    qr=st.one_of(st.none(), st.text(min_size=1, max_size=40)),
)
def test_any_unicode_name_renders_and_fits(name: str, company: str | None, qr: str | None) -> None:
    label = _label(display_name=name, company=company, qr_token=qr)
    plan = plan_label(label, DEFAULT)
    _assert_inside_margins(plan, DEFAULT)
    assert plan.name
    pdf = render_label(label, DEFAULT)
    assert pdf.startswith(b"%PDF")
