"""The name tag: a pure function from an attendee's label data and a layout to PDF bytes.

`plan_label` decides where every line goes and how big it is (so tests can check geometry
without parsing PDF); `render_label` draws that plan with reportlab. The name is auto-fitted:
one line as large as possible, else two lines split between words, else split inside a word,
shrinking until it fits — it is never clipped.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from hm.errors import HmError
from pi_agent.fonts import LabelFont, load_font

ELLIPSIS = "\u2026"
_WORD_BREAK_PREFERENCE = 1.25
SUBTITLE_SEPARATOR = " \u00b7 "


class LabelDataError(HmError):
    """A print job's payload that can't become a name tag."""


class LabelData(BaseModel):
    """What the tag shows: `print_jobs.payload`, denormalised at check-in time."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    display_name: str = ""
    first_name: str = ""
    last_name: str | None = None
    pronouns: str | None = None
    company: str | None = None
    title: str | None = None
    event_name: str = ""
    qr_token: str | None = None
    layout: str = "default"

    @model_validator(mode="after")
    def _has_a_name(self) -> LabelData:
        if not (self.display_name.strip() or self.first_name.strip()):
            raise ValueError("a name tag needs display_name or first_name")
        return self

    @property
    def name(self) -> str:
        if self.display_name.strip():
            return self.display_name.strip()
        return " ".join(part for part in (self.first_name, self.last_name or "") if part).strip()

    @property
    def subtitle_lines(self) -> tuple[str, ...]:
        affiliation = SUBTITLE_SEPARATOR.join(
            part.strip() for part in (self.company, self.title) if part and part.strip()
        )
        pronouns = (self.pronouns or "").strip()
        return tuple(line for line in (affiliation, pronouns) if line)

    @classmethod
    def from_payload(cls, payload: Mapping[str, object]) -> LabelData:
        try:
            return cls.model_validate(payload)
        except ValidationError as error:
            raise LabelDataError(f"print job payload is not a name tag: {error}") from error


@dataclass(frozen=True)
class LabelLayout:
    """Sizes in PDF points (1/72 in). The default is a 2 x 4 in landscape label."""

    page_width: float = 288.0
    page_height: float = 144.0
    margin: float = 10.0
    regular_font_file: str = "DejaVuSans.ttf"
    bold_font_file: str = "DejaVuSans-Bold.ttf"
    name_max_size: float = 36.0
    # Below this size one line looks worse than two lines; below `name_min_size` on two lines,
    # words are split, then the name keeps shrinking (never clipped).
    name_single_line_min_size: float = 22.0
    name_min_size: float = 14.0
    line_spacing: float = 1.1
    subtitle_size: float = 11.0
    event_size: float = 9.0
    secondary_min_size: float = 7.0
    block_gap: float = 4.0
    show_qr: bool = True
    qr_size: float = 56.0
    qr_gap: float = 8.0


LAYOUTS: Mapping[str, LabelLayout] = {
    "default": LabelLayout(),
    "no-qr": LabelLayout(show_qr=False),
}


def layout_named(name: str) -> LabelLayout:
    """The layout a payload asks for; an unknown name falls back to the default on purpose,
    because an old Pi must still print tags for a layout added later."""
    return LAYOUTS.get(name, LAYOUTS["default"])


@dataclass(frozen=True)
class PlacedText:
    text: str
    font: str
    size: float
    x: float
    baseline: float
    width: float
    top: float
    bottom: float


@dataclass(frozen=True)
class PlacedQr:
    data: str
    x: float
    y: float
    size: float


@dataclass(frozen=True)
class LabelPlan:
    width: float
    height: float
    name: tuple[PlacedText, ...]
    details: tuple[PlacedText, ...]
    qr: PlacedQr | None = None
    texts: tuple[PlacedText, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "texts", self.name + self.details)


@dataclass(frozen=True)
class _Fit:
    lines: tuple[str, ...]
    size: float


def _width(text: str, font: LabelFont, size: float) -> float:
    return float(stringWidth(text, font.name, size))


def _block_height(lines: int, font: LabelFont, layout: LabelLayout) -> float:
    """Height of `lines` lines at font size 1."""
    return (font.ascent - font.descent) + (lines - 1) * layout.line_spacing


def _fit(lines: tuple[str, ...], font: LabelFont, box_w: float, cap: float) -> _Fit:
    """The largest size up to `cap` at which every line is at most `box_w` wide."""
    widest = max(_width(line, font, 1.0) for line in lines)
    return _Fit(lines, min(cap, box_w / widest) if widest > 0 else cap)


def _fit_name(text: str, font: LabelFont, box_w: float, box_h: float, layout: LabelLayout) -> _Fit:
    one_line_cap = min(layout.name_max_size, box_h / _block_height(1, font, layout))
    two_line_cap = min(layout.name_max_size, box_h / _block_height(2, font, layout))
    one_line = _fit((text,), font, box_w, one_line_cap)
    if one_line.size >= layout.name_single_line_min_size:
        return one_line
    word_breaks = [i for i in range(1, len(text)) if text[i - 1] in " -"]
    word_splits = [_fit(_split(text, i), font, box_w, two_line_cap) for i in word_breaks]
    best_word_split = max(word_splits, key=lambda fit: fit.size, default=None)
    if best_word_split and best_word_split.size >= layout.name_min_size:
        return best_word_split
    char_splits = [_fit(_split(text, i), font, box_w, two_line_cap) for i in range(1, len(text))]
    best = max([one_line, *char_splits], key=lambda fit: fit.size)
    # A word broken in the middle reads badly: only worth it for a clearly larger name.
    if best_word_split and best_word_split.size * _WORD_BREAK_PREFERENCE >= best.size:
        return best_word_split
    return best


def _split(text: str, index: int) -> tuple[str, ...]:
    return tuple(line for line in (text[:index].strip(), text[index:].strip()) if line)


def _fit_detail(text: str, font: LabelFont, box_w: float, size: float, min_size: float) -> _Fit:
    """One secondary line: shrink down to `min_size`, then cut with an ellipsis."""
    fitted = _fit((text,), font, box_w, size)
    if fitted.size >= min_size:
        return fitted
    cut = text
    while cut and _width(cut + ELLIPSIS, font, min_size) > box_w:
        cut = cut[:-1]
    return _Fit((cut.rstrip() + ELLIPSIS,), min_size)


def plan_label(label: LabelData, layout: LabelLayout) -> LabelPlan:
    """Where each line of the tag goes and at which size; everything inside the margins."""
    regular = load_font(layout.regular_font_file)
    bold = load_font(layout.bold_font_file)
    qr: PlacedQr | None = None
    text_right = layout.page_width - layout.margin
    if layout.show_qr and label.qr_token:
        qr = PlacedQr(
            data=label.qr_token,
            x=layout.page_width - layout.margin - layout.qr_size,
            y=layout.margin,
            size=layout.qr_size,
        )
        text_right = qr.x - layout.qr_gap
    box_w = text_right - layout.margin

    # Bottom up: event name, then subtitle lines, then the name takes the rest.
    details: list[PlacedText] = []
    floor = layout.margin
    detail_lines = [
        (regular.printable(line), layout.subtitle_size) for line in label.subtitle_lines
    ]
    if label.event_name.strip():
        detail_lines.append((regular.printable(label.event_name.strip()), layout.event_size))
    for text, size in reversed(detail_lines):
        fitted = _fit_detail(text, regular, box_w, size, min(size, layout.secondary_min_size))
        placed = _place(fitted.lines[0], regular, fitted.size, layout.margin, floor)
        details.insert(0, placed)
        floor = placed.top + fitted.size * (layout.line_spacing - 1)

    name_top = layout.page_height - layout.margin
    name_box_h = name_top - floor - layout.block_gap
    name_text = " ".join(bold.printable(label.name).split()) or "?"
    fitted = _fit_name(name_text, bold, box_w, name_box_h, layout)
    # Centre the name block in the space it has, so a small two-line name doesn't hug the top.
    slack = name_box_h - _block_height(len(fitted.lines), bold, layout) * fitted.size
    name: list[PlacedText] = []
    baseline = name_top - max(slack, 0.0) / 2 - bold.ascent * fitted.size
    for line in fitted.lines:
        name.append(
            _place(line, bold, fitted.size, layout.margin, baseline + bold.descent * fitted.size)
        )
        baseline -= layout.line_spacing * fitted.size
    return LabelPlan(layout.page_width, layout.page_height, tuple(name), tuple(details), qr)


def _place(text: str, font: LabelFont, size: float, x: float, bottom: float) -> PlacedText:
    """A line whose lowest descender sits at `bottom`."""
    baseline = bottom - font.descent * size
    return PlacedText(
        text=text,
        font=font.name,
        size=size,
        x=x,
        baseline=baseline,
        width=_width(text, font, size),
        top=baseline + font.ascent * size,
        bottom=bottom,
    )


def render_label(label: LabelData, layout: LabelLayout) -> bytes:
    """The name tag as a one-page PDF of `layout`'s page size."""
    plan = plan_label(label, layout)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(plan.width, plan.height), invariant=True)
    canvas.setTitle(f"Name tag: {label.name}")
    for line in plan.texts:
        canvas.setFont(line.font, line.size)
        canvas.drawString(line.x, line.baseline, line.text)
    if plan.qr:
        _draw_qr(canvas, plan.qr)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_qr(canvas: Canvas, qr: PlacedQr) -> None:
    widget = QrCodeWidget(qr.data, barLevel="M", barBorder=0)
    x0, y0, x1, y1 = widget.getBounds()
    scale_x, scale_y = qr.size / (x1 - x0), qr.size / (y1 - y0)
    drawing = Drawing(
        qr.size, qr.size, transform=[scale_x, 0, 0, scale_y, -x0 * scale_x, -y0 * scale_y]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, qr.x, qr.y)
