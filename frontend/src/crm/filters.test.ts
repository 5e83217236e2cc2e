import { describe, expect, it } from "vitest";
import { EMPTY_FILTER, fromDefinition, fromSearchParams, toDefinition, toListArgs, toSearchParams } from "./filters";

describe("contact filters", () => {
  it("send nothing for an empty filter", () => {
    expect(toListArgs(EMPTY_FILTER)).toEqual({ p_search: undefined, p_definition: undefined, p_language: undefined });
  });

  it("turn criteria into a segment definition with an exclusive end day", () => {
    const definition = toDefinition({
      ...EMPTY_FILTER,
      tagsAny: ["speaker"],
      minCheckIns: 2,
      consentSms: "opted_in",
      createdFrom: "2026-01-01",
      createdTo: "2026-01-31",
    });
    expect(definition).toEqual({
      tags_any: ["speaker"],
      min_checkins: 2,
      consent_sms: "opted_in",
      created_after: "2026-01-01",
      created_before: "2026-02-01",
    });
  });

  it("read a saved segment back into the same filter", () => {
    const filter = { ...EMPTY_FILTER, tagsNone: ["vip"], attendedEvent: "e1", consentEmail: "unknown" as const, createdTo: "2026-02-28" };
    expect(fromDefinition(toDefinition(filter))).toEqual(filter);
  });

  it("round-trip through the URL and ignore what they cannot read", () => {
    const filter = { ...EMPTY_FILTER, search: "ada", tagsAny: ["a", "b"], language: "es" as const, sort: "name" as const };
    expect(fromSearchParams(toSearchParams(filter))).toEqual(filter);
    expect(fromSearchParams({ sort: "drop table", checkins: "-3", sms: "maybe", from: "yesterday" })).toEqual(EMPTY_FILTER);
  });

  it("trim the search and leave a blank one out", () => {
    expect(toListArgs({ ...EMPTY_FILTER, search: "  ada " }).p_search).toBe("ada");
    expect(toListArgs({ ...EMPTY_FILTER, search: "   " }).p_search).toBeUndefined();
  });
});
