import { describe, expect, it } from "vitest";
import { auditCsv, changedFields, keysetBefore, type AuditEntry } from "./auditApi";

const entry: AuditEntry = {
  id: 1,
  occurred_at: "2026-11-25T15:00:00+00:00",
  actor_id: "u1",
  actor_role: "authenticated",
  action: "update",
  table_name: "senders",
  record_id: "s1",
  before: { daily_cap: 1000, name: "Main", updated_at: "a" },
  after: { daily_cap: 500, name: "Main", updated_at: "b" },
  detail: null,
};

describe("changedFields", () => {
  it("names only the fields that changed, ignoring updated_at", () => {
    expect(changedFields(entry)).toEqual(["daily_cap"]);
  });
  it("treats an insert as every field changing", () => {
    expect(changedFields({ before: null, after: { a: 1, b: 2 } })).toEqual(["a", "b"]);
  });
});

describe("auditCsv", () => {
  it("writes a header and quotes JSON and commas", () => {
    const csv = auditCsv([entry], (id) => (id === "u1" ? "ana@example.com" : ""));
    const [header, row] = csv.split("\r\n");
    expect(header).toBe("occurred_at,actor,actor_role,action,table_name,record_id,before,after,detail");
    expect(row).toBe(
      '2026-11-25T15:00:00+00:00,ana@example.com,authenticated,update,senders,s1,' +
        '"{""daily_cap"":1000,""name"":""Main"",""updated_at"":""a""}",' +
        '"{""daily_cap"":500,""name"":""Main"",""updated_at"":""b""}",',
    );
  });
});

describe("keysetBefore", () => {
  it("continues after the last entry, tie on the instant broken by id", () => {
    expect(keysetBefore({ occurredAt: "2026-11-20T12:00:00.5+00:00", id: 42 })).toBe(
      'occurred_at.lt."2026-11-20T12:00:00.5+00:00",and(occurred_at.eq."2026-11-20T12:00:00.5+00:00",id.lt.42)',
    );
  });
});
