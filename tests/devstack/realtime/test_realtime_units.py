"""Pure parts of the Realtime service: frames, filters, change payloads, presence."""

from __future__ import annotations

import datetime as dt
import json
import struct

import pytest

from devstack.stack.realtime.filters import ColumnValue, Filter, FilterError, matches, parse_filter
from devstack.stack.realtime.presence import TopicPresence
from devstack.stack.realtime.records import (
    TableColumn,
    TableView,
    change_data,
    parse_array,
    render_value,
)
from devstack.stack.realtime.serializer import (
    BINARY_ENCODING,
    JSON_ENCODING,
    FrameError,
    Message,
    UserBroadcast,
    broadcast_payload,
    decode_binary,
    decode_text,
    encode_text,
    encode_user_broadcast,
)
from devstack.stack.realtime.wal import Change, WalColumn, parse_change, wal2json_table_filter


def kind3(
    join_ref: str, ref: str, topic: str, event: str, meta: str, encoding: int, payload: bytes
) -> bytes:
    """A user broadcast push framed byte for byte as supabase-js's serializer does."""
    header = struct.pack(
        "7B", 3, len(join_ref), len(ref), len(topic), len(event), len(meta), encoding
    )
    return header + (join_ref + ref + topic + event + meta).encode() + payload


class TestSerializer:
    def test_vsn1_objects_round_trip_with_null_refs_kept(self) -> None:
        push = Message("realtime:room", "broadcast", {"a": 1})
        assert json.loads(encode_text(push, "1.0.0")) == {
            "event": "broadcast",
            "payload": {"a": 1},
            "topic": "realtime:room",
            "ref": None,
            "join_ref": None,
        }
        frame = '{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"7"}'
        assert decode_text(frame, "1.0.0") == Message("phoenix", "heartbeat", {}, "7", None)

    def test_vsn2_arrays(self) -> None:
        reply = Message("t", "phx_reply", {"status": "ok", "response": {}}, "3", "1")
        assert json.loads(encode_text(reply, "2.0.0")) == [
            "1",
            "3",
            "t",
            "phx_reply",
            reply.payload,
        ]
        assert decode_text('["1","2","t","phx_join",{}]', "2.0.0") == Message(
            "t", "phx_join", {}, "2", "1"
        )

    @pytest.mark.parametrize(
        ("frame", "vsn"),
        [("not json", "1.0.0"), ("[1,2]", "2.0.0"), ('{"topic":1}', "1.0.0"), ("{}", "2.0.0")],
    )
    def test_malformed_text_frames_are_refused(self, frame: str, vsn: str) -> None:
        with pytest.raises(FrameError):
            decode_text(frame, vsn)

    def test_kind3_json_push_decodes(self) -> None:
        frame = kind3("1", "5", "realtime:room", "move", "", JSON_ENCODING, b'{"x":1}')
        broadcast = decode_binary(frame)
        assert (broadcast.join_ref, broadcast.ref, broadcast.topic) == ("1", "5", "realtime:room")
        assert broadcast.event == "move"
        assert broadcast.json_payload() == {"x": 1}
        assert broadcast_payload(broadcast) == {
            "type": "broadcast",
            "event": "move",
            "payload": {"x": 1},
        }

    def test_kind3_binary_push_keeps_bytes(self) -> None:
        frame = kind3("", "", "realtime:r", "blob", '{"k":"v"}', BINARY_ENCODING, b"\x00\xff")
        broadcast = decode_binary(frame)
        assert broadcast.payload == b"\x00\xff"
        assert broadcast.meta == {"k": "v"}
        assert broadcast.ref is None

    @pytest.mark.parametrize(
        "frame",
        [b"\x03\x01", b"\x04" + bytes(6), kind3("1", "2", "topic", "e", "", 7, b"")],
    )
    def test_bad_binary_frames_are_refused(self, frame: bytes) -> None:
        with pytest.raises(FrameError):
            decode_binary(frame)

    def test_kind4_frame_layout_matches_supabase_js_decoder(self) -> None:
        frame = encode_user_broadcast(
            UserBroadcast("realtime:r", "ev", b'{"a":2}', JSON_ENCODING, {"id": "x"})
        )
        topic_len, event_len, meta_len, encoding = frame[1], frame[2], frame[3], frame[4]
        assert frame[0] == 4
        assert encoding == JSON_ENCODING
        body = frame[5:]
        assert body[:topic_len] == b"realtime:r"
        assert body[topic_len : topic_len + event_len] == b"ev"
        meta = body[topic_len + event_len : topic_len + event_len + meta_len]
        assert json.loads(meta) == {"id": "x"}
        assert body[topic_len + event_len + meta_len :] == b'{"a":2}'


class TestFilters:
    def test_parses_supabase_forms(self) -> None:
        assert parse_filter("n=eq.5") == (Filter("n", "eq", ("5",)),)
        assert parse_filter('label=in.(red,"a,b")') == (Filter("label", "in", ("red", "a,b")),)
        assert parse_filter("n=gt.0,n=lt.100") == (
            Filter("n", "gt", ("0",)),
            Filter("n", "lt", ("100",)),
        )
        assert parse_filter("  ") == ()
        assert parse_filter("body=eq.a.b") == (Filter("body", "eq", ("a.b",)),)

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("subject=foo.hey", 'Error parsing `filter` params: ["foo", "hey"]'),
            ("undefined", 'Error parsing `filter` params: ["undefined"]'),
            ("n=in.1,2", "Error parsing `filter` params: `in` filter value must be wrapped"),
        ],
    )
    def test_refuses_what_supabase_refuses(self, text: str, message: str) -> None:
        with pytest.raises(FilterError, match=message.replace("(", r"\(").replace("[", r"\[")):
            parse_filter(text)

    def test_comparisons_are_typed(self) -> None:
        ten = {"n": ColumnValue("int4", "10")}
        assert matches(parse_filter("n=gt.9"), ten)
        assert not matches(parse_filter("n=lt.9"), ten)
        assert matches(parse_filter("n=in.(1,10)"), ten)
        at = {"at": ColumnValue("timestamptz", "2026-11-21 23:58:51.81924+00")}
        assert matches(parse_filter("at=gt.2026-11-21T00:00:00Z"), at)
        device = {"d": ColumnValue("uuid", "427B0BDE-B09F-4742-9410-E317E8F1197A")}
        assert matches(parse_filter("d=eq.427b0bde-b09f-4742-9410-e317e8f1197a"), device)
        assert matches(parse_filter("ok=eq.t"), {"ok": ColumnValue("bool", "true")})

    def test_pattern_is_distinct_and_negated_operators(self) -> None:
        label = {"label": ColumnValue("text", "Front Desk")}
        assert matches(parse_filter("label=like.Front%"), label)
        assert not matches(parse_filter("label=like.front%"), label)
        assert matches(parse_filter("label=ilike.front_desk"), label)
        assert matches(parse_filter("label=match.^Fr"), label)
        assert matches(parse_filter("label=imatch.DESK$"), label)
        assert matches(parse_filter("label=not.in.(a,b)"), label)
        assert not matches(parse_filter("label=not.eq.Front Desk"), label)
        missing = {"label": ColumnValue("text", None)}
        assert matches(parse_filter("label=is.null"), missing)
        assert not matches(parse_filter("label=not.is.null"), missing)
        assert matches(parse_filter("label=isdistinct.x"), missing)
        assert not matches(parse_filter("label=not.isdistinct.x"), missing)
        assert matches(parse_filter("ok=is.true"), {"ok": ColumnValue("bool", "true")})
        # NULL compared with anything is NULL, and negating NULL stays NULL: no match.
        assert not matches(parse_filter("label=not.eq.x"), missing)
        with pytest.raises(FilterError, match="invalid value for is filter"):
            parse_filter("label=is.maybe")

    def test_null_bad_casts_and_absent_columns(self) -> None:
        assert not matches(parse_filter("n=eq.1"), {"n": ColumnValue("int4", None)})
        assert not matches(parse_filter("n=eq.abc"), {"n": ColumnValue("int4", "1")})
        # A filter on a column the change does not carry fails.
        assert not matches(parse_filter("n=eq.1"), {})
        assert not matches(parse_filter("n=eq.1,m=eq.1"), {"n": ColumnValue("int4", "1")})
        assert matches((), {})


def view(rls: bool = True) -> TableView:
    return TableView(
        rls,
        (
            TableColumn("id", "int8", True, True),
            TableColumn("tags", "_text", False, True),
            TableColumn("at", "timestamptz", False, True),
            TableColumn("secret", "text", False, False),
        ),
    )


def change(kind: str, columns: dict[str, object], identity: dict[str, object]) -> Change:
    return Change(
        kind,
        "public",
        "t",
        dt.datetime(2026, 11, 21, 23, 58, 51, 819569, tzinfo=dt.UTC),
        tuple(WalColumn(n, 0, v) for n, v in columns.items()),
        tuple(WalColumn(n, 0, v) for n, v in identity.items()),
        ("id",),
    )


class TestRecords:
    def test_values_render_as_to_jsonb(self) -> None:
        assert render_value("timestamptz", "2026-11-21 23:58:51.81924+00") == (
            "2026-11-21T23:58:51.81924+00:00"
        )
        assert render_value("timestamp", "2026-11-21 23:58:51") == "2026-11-21T23:58:51"
        assert render_value("jsonb", '{"x": [1, 2]}') == {"x": [1, 2]}
        assert render_value("_text", '{a,"b c",NULL,"NULL"}') == ["a", "b c", None, "NULL"]
        assert render_value("_int4", "{1,2}") == [1, 2]
        assert render_value("_bool", "{t,f}") == [True, False]
        assert parse_array("{{1,2},{3,4}}") is None
        assert render_value("int8", 5) == 5

    def test_insert_update_delete_shapes(self) -> None:
        row = {"id": 1, "tags": "{a}", "at": "2026-11-21 23:58:51+00", "secret": "s"}
        insert = change_data(change("INSERT", row, {}), view())
        assert insert == {
            "schema": "public",
            "table": "t",
            "commit_timestamp": "2026-11-21T23:58:51.819Z",
            "type": "INSERT",
            "errors": None,
            "columns": [
                {"name": "id", "type": "int8"},
                {"name": "tags", "type": "_text"},
                {"name": "at", "type": "timestamptz"},
            ],
            "record": {"id": 1, "tags": ["a"], "at": "2026-11-21T23:58:51+00:00"},
        }
        update = change_data(change("UPDATE", row, row), view())
        assert update["old_record"] == {"id": 1, "tags": ["a"], "at": "2026-11-21T23:58:51+00:00"}
        delete = change_data(change("DELETE", {}, row), view())
        assert "record" not in delete
        assert delete["old_record"] == {"id": 1}  # RLS on: the primary key only
        assert change_data(change("DELETE", {}, row), view(rls=False))["old_record"] == {
            "id": 1,
            "tags": ["a"],
            "at": "2026-11-21T23:58:51+00:00",
        }

    def test_wal2json_rows_parse(self) -> None:
        row = (
            '{"action":"U","timestamp":"2026-11-21 23:58:51.820002+00","schema":"public",'
            '"table":"t","columns":[{"name":"id","type":"bigint","typeoid":20,"value":1}],'
            '"identity":[{"name":"id","type":"bigint","typeoid":20,"value":1}],'
            '"pk":[{"name":"id","type":"bigint","typeoid":20}]}'
        )
        parsed = parse_change(row)
        assert parsed is not None
        assert parsed.type == "UPDATE"
        assert parsed.commit_timestamp == "2026-11-21T23:58:51.820Z"
        assert parsed.primary_key == ("id",)
        assert parse_change('{"action":"B"}') is None


class TestPresence:
    def test_track_update_untrack_diffs(self) -> None:
        presence = TopicPresence()
        joined = presence.track("k", 1, {"status": "on"})
        meta = joined["joins"]["k"]["metas"][0]
        assert joined["leaves"] == {}
        assert meta["status"] == "on"
        assert "phx_ref" in meta
        updated = presence.track("k", 1, {"status": "away"})
        assert updated["leaves"] == {"k": {"metas": [meta]}}
        assert updated["joins"]["k"]["metas"][0]["phx_ref_prev"] == meta["phx_ref"]
        assert list(presence.state()) == ["k"]
        left = presence.untrack("k", 1)
        assert left is not None
        assert left["leaves"]["k"]["metas"][0]["status"] == "away"
        assert presence.empty
        assert presence.untrack("k", 1) is None


def test_only_published_tables_are_decoded_with_their_names_escaped() -> None:
    tables = {("public", "messages"), ("public", "odd.name, *")}
    assert wal2json_table_filter(tables) == "public.messages,public.odd\\.name\\,\\ \\*"
    assert wal2json_table_filter(set()) == "pg_catalog.no_published_table"
