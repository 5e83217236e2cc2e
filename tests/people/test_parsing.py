"""Property tests for the pure parts of the import: phone normalisation and CSV mapping."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hm.errors import HmError
from hm.people.csv_import import ColumnMapping, parse_map_options, prepare_row, read_csv
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
def test_csv_cells_survive_reading_and_mapping(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str, str]]
) -> None:
    path: Path = tmp_path_factory.mktemp("csv") / "in.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Email", "First Name", "Team"])
        writer.writerows(rows)
    data = read_csv(path)
    mapping = ColumnMapping.build(data.headers, parse_map_options(["Team=custom:team"]))
    prepared = [prepare_row(raw, mapping) for raw in data.rows]
    assert len(prepared) == len(rows)
    for (email, first, team), row in zip(rows, prepared, strict=True):
        assert row.get("email", "") == email.strip()
        assert row.get("first_name", "") == first.strip()
        assert row.get("custom_fields", {}).get("team", "") == team.strip()


@given(st.text(max_size=20).filter(lambda s: "=" not in s))
def test_a_map_option_without_equals_is_refused(option: str) -> None:
    with pytest.raises(HmError):
        parse_map_options([option])


def test_two_columns_for_one_field_need_an_explicit_map() -> None:
    with pytest.raises(HmError, match="several columns map to phone"):
        ColumnMapping.build(["Phone", "Mobile"], {})
    mapping = ColumnMapping.build(["Phone", "Mobile"], {"Mobile": "-"})
    assert mapping.columns == {"Phone": "phone"}
    assert mapping.ignored == ("Mobile",)
