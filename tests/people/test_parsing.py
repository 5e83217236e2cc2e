"""Property tests for the pure parts of the import: phone normalisation and CSV reading (the
mapping is the server's, tested in pgTAP)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hm.errors import HmError
from hm.people.csv_import import parse_map_options, read_csv
from hm.people.phones import InvalidPhoneError, normalize_phone

# NANP: area code and exchange start with 2-9.
area = st.integers(200, 999).filter(lambda n: n % 100 != 11)
exchange = st.integers(200, 999)
line = st.integers(0, 9999)


@given(
    area,
    exchange,
    line,
    st.sampled_from(
        [
            "{a}{e}{l}",
            "({a}) {e}-{l}",
            "+1 {a} {e} {l}",
            "1-{a}-{e}-{l}",
            "{a}.{e}.{l}",
            " +1({a}){e}{l} ",
        ]
    ),
)
def test_every_way_of_writing_a_us_number_gives_the_same_e164(
    a: int, e: int, line_number: int, pattern: str
) -> None:
    text = pattern.format(a=a, e=e, l=f"{line_number:04d}")
    assert normalize_phone(text) == f"+1{a}{e}{line_number:04d}"


@given(st.text(alphabet="abcdefghij -()", max_size=12))
def test_text_without_digits_is_never_a_phone(text: str) -> None:
    with pytest.raises(InvalidPhoneError):
        normalize_phone(text)


def test_international_numbers_keep_their_country() -> None:
    assert normalize_phone("+44 20 7946 0958") == "+442079460958"


cell = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00\r"),
    max_size=30,
)


@given(st.lists(st.tuples(cell, cell, cell), min_size=1, max_size=10))
def test_csv_cells_survive_reading(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str, str]]
) -> None:
    path: Path = tmp_path_factory.mktemp("csv") / "in.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Email", "First Name", "Team"])
        writer.writerows(rows)
    data = read_csv(path)
    assert data.headers == ("Email", "First Name", "Team")
    # A row of three empty cells is a blank line in a CSV file: not a row.
    assert data.rows == [list(row) for row in rows if any(cell != "" for cell in row)]


@given(st.text(max_size=20).filter(lambda s: "=" not in s))
def test_a_map_option_without_equals_is_refused(option: str) -> None:
    with pytest.raises(HmError):
        parse_map_options([option])
