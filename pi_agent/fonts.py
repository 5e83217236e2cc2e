"""The label font: a wide-coverage TrueType face, and what to do with characters it lacks.

reportlab's built-in fonts cover Latin-1 only; DejaVu Sans (Debian package `fonts-dejavu-core`,
installed on every Pi by docs/pi.md) covers Latin, Greek, Cyrillic, Armenian, Georgian and more.
A character the face has no glyph for would print as an empty box, so `printable` replaces it
deliberately: first by its decomposition without accents (NFKD), else by `?`.
"""

from __future__ import annotations

import functools
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from hm.errors import HmError

REPLACEMENT = "?"

# Where Debian, Raspberry Pi OS, Fedora and Arch put DejaVu; HM_LABEL_FONT_DIR comes first.
_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
)


@dataclass(frozen=True)
class LabelFont:
    """A registered reportlab font and the code points it has glyphs for."""

    name: str
    coverage: frozenset[int]
    ascent: float  # per unit of font size
    descent: float  # per unit of font size, negative

    def printable(self, text: str) -> str:
        """`text` with every character the font can't draw replaced on purpose, never by a box."""
        composed = unicodedata.normalize("NFC", text)
        return "".join(self._printable_char(char) for char in composed)

    def _printable_char(self, char: str) -> str:
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Zl", "Zp"):
            # Controls and invisible format characters (zero-width joiners, bidi marks) draw nothing
            # useful; whitespace-like ones become a space so words stay apart.
            return " " if char in "\t\n\r\x0b\x0c" else ""
        if category == "Zs":
            return " "
        if ord(char) in self.coverage:
            return char
        decomposed = unicodedata.normalize("NFKD", char)
        fallback = "".join(
            part
            for part in decomposed
            if not unicodedata.combining(part) and ord(part) in self.coverage
        )
        return fallback or REPLACEMENT


def font_search_path() -> list[Path]:
    extra = os.environ.get("HM_LABEL_FONT_DIR")
    first = [Path(extra)] if extra else []
    return first + [Path(folder) for folder in _FONT_DIRS]


def find_font_file(file_name: str) -> Path:
    """The path of a DejaVu file, or an error that says which package to install."""
    for folder in font_search_path():
        candidate = folder / file_name
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(folder) for folder in font_search_path())
    raise HmError(
        f"font {file_name} not found (looked in {searched}); "
        "install it with `sudo apt-get install fonts-dejavu-core` or set HM_LABEL_FONT_DIR"
    )


@functools.cache
def load_font(file_name: str) -> LabelFont:
    """Register `file_name` with reportlab once per process and describe its coverage."""
    path = find_font_file(file_name)
    font_name = f"HM-{path.stem}"
    face = TTFont(font_name, str(path))
    pdfmetrics.registerFont(face)
    return LabelFont(
        name=font_name,
        coverage=frozenset(face.face.charToGlyph),
        ascent=face.face.ascent / 1000,
        descent=face.face.descent / 1000,
    )
