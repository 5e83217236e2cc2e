import { describe, expect, it } from "vitest";
import { availableKinds, countProblem, fromSegmentDefinition, newRule, parseTags, RULE_KINDS, toSegmentDefinition, type Rule } from "./segmentRules";

describe("segment rules", () => {
  it("compile to the keys the server understands, with an exclusive end day", () => {
    const rules: Rule[] = [
      { kind: "tags_any", tags: ["speaker", "host"] },
      { kind: "tags_none", tags: ["staff"] },
      { kind: "attended_events", events: ["6f1c0d7e-0000-4000-8000-000000000001"] },
      { kind: "first_timers" },
      { kind: "no_checkin_days", count: 90 },
      { kind: "created_between", from: "2026-01-01", to: "2026-01-31" },
      { kind: "has_phone", value: true },
      { kind: "consent_sms", status: "opted_in" },
      { kind: "custom_field", key: " shirt ", value: "M" },
      { kind: "source", value: " luma " },
    ];
    expect(toSegmentDefinition(rules)).toEqual({
      tags_any: ["speaker", "host"],
      tags_none: ["staff"],
      attended_events: ["6f1c0d7e-0000-4000-8000-000000000001"],
      min_checkins: 1,
      max_checkins: 1,
      no_checkin_days: 90,
      created_after: "2026-01-01",
      created_before: "2026-02-01",
      has_phone: true,
      consent_sms: "opted_in",
      custom_field_equals: { shirt: "M" },
      source: "luma",
    });
  });

  it("leave out rules that are not filled in yet", () => {
    const blank = RULE_KINDS.filter((kind) => !["first_timers", "has_phone", "has_email", "consent_sms", "consent_email", "attended_last_events", "min_checkins", "no_checkin_days", "replied_within_days"].includes(kind)).map(newRule);
    expect(toSegmentDefinition(blank)).toEqual({});
    expect(toSegmentDefinition([{ kind: "attended_last_events", count: 0 }])).toEqual({});
  });

  it("read a saved definition back into the same rules", () => {
    const rules: Rule[] = [
      { kind: "tags_all", tags: ["a", "b"] },
      { kind: "attended_last_events", count: 3 },
      { kind: "min_checkins", count: 2 },
      { kind: "created_between", from: "", to: "2026-03-01" },
      { kind: "has_email", value: false },
      { kind: "consent_email", status: "not_opted_out" },
      { kind: "custom_field", key: "team", value: "blue" },
      { kind: "source", value: "door" },
    ];
    expect(fromSegmentDefinition(toSegmentDefinition(rules))).toEqual(rules);
    expect(fromSegmentDefinition({ min_checkins: 1, max_checkins: 1, unknown_key: 5 })).toEqual([{ kind: "first_timers" }]);
  });

  it("offer each kind once, first-timers and a minimum count excluding each other", () => {
    const offered = availableKinds([{ kind: "first_timers" }, { kind: "source", value: "" }]);
    expect(offered).not.toContain("first_timers");
    expect(offered).not.toContain("min_checkins");
    expect(offered).not.toContain("source");
    expect(offered).toContain("tags_any");
  });

  it("split typed tags on commas, trimmed and without duplicates", () => {
    expect(parseTags(" vip, speaker ,, vip,")).toEqual(["vip", "speaker"]);
  });

  it("compile messaging activity and the last check-in to the server's keys, and read them back", () => {
    const news = "6f1c0d7e-0000-4000-8000-00000000b001";
    const reminder = "6f1c0d7e-0000-4000-8000-00000000b002";
    const rules: Rule[] = [
      { kind: "last_checkin_after", day: "2026-09-01" },
      { kind: "last_checkin_before", day: "2026-11-01" },
      { kind: "replied_within_days", count: 14 },
      { kind: "received_blasts", blasts: [news, reminder] },
      { kind: "opened_blasts", blasts: [news] },
      { kind: "clicked_blasts", blasts: [news] },
    ];
    const definition = toSegmentDefinition(rules);
    expect(definition).toEqual({
      last_checkin_after: "2026-09-01",
      last_checkin_before: "2026-11-01",
      replied_within_days: 14,
      received_blasts: [news, reminder],
      opened_blasts: [news],
      clicked_blasts: [news],
    });
    expect(fromSegmentDefinition(definition)).toEqual(rules);
  });

  it("leave out a messaging rule until it names a blast or a valid number of days", () => {
    expect(newRule("replied_within_days")).toEqual({ kind: "replied_within_days", count: 30 });
    expect(toSegmentDefinition([{ kind: "received_blasts", blasts: [] }, { kind: "last_checkin_after", day: "" }])).toEqual({});
    for (const count of [0, -3, 36501]) {
      expect(toSegmentDefinition([{ kind: "replied_within_days", count }])).toEqual({});
      expect(countProblem({ kind: "replied_within_days", count })).toBe("daysRange");
    }
    expect(countProblem({ kind: "replied_within_days", count: 36500 })).toBeNull();
    expect(countProblem({ kind: "min_checkins", count: 0 })).toBeNull();
    expect(countProblem({ kind: "no_checkin_days", count: 36501 })).toBe("daysRange");
    expect(countProblem({ kind: "attended_last_events", count: 0 })).toBe("countAtLeastOne");
  });
});
