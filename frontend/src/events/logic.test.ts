import { describe, expect, it } from "vitest";
import {
  attendeeListOnChange,
  attendanceFilter,
  checkedInFilter,
  displayName,
  fieldOfRefusal,
  nextPageCursor,
  parseCapacity,
  splitByTime,
  suggestSlug,
  toLocalInput,
} from "./logic";

describe("splitByTime", () => {
  const now = new Date("2026-11-25T20:00:00Z");
  const event = (id: string, starts_at: string, ends_at: string) => ({ id, starts_at, ends_at });

  it("keeps an event under way with the upcoming ones, soonest first, and past ones as given", () => {
    const split = splitByTime(
      [
        event("later", "2026-12-10T23:00:00+00:00", "2026-12-11T02:00:00+00:00"),
        event("now", "2026-11-25T19:00:00+00:00", "2026-11-25T22:00:00+00:00"),
        event("soon", "2026-12-01T23:00:00+00:00", "2026-12-02T02:00:00+00:00"),
        event("done", "2026-11-01T23:00:00+00:00", "2026-11-02T02:00:00+00:00"),
      ],
      now,
    );
    expect(split.upcoming.map((e) => e.id)).toEqual(["now", "soon", "later"]);
    expect(split.past.map((e) => e.id)).toEqual(["done"]);
  });
});

describe("the form's fields", () => {
  it("turns the database's wall-clock time into a datetime-local value", () => {
    expect(toLocalInput("2026-12-01T18:00:00")).toBe("2026-12-01T18:00");
  });

  it("suggests a web address from the name", () => {
    expect(suggestSlug("  Demo Night #3 ")).toBe("demo-night-3");
    expect(suggestSlug("Café Añejo — Miami")).toBe("cafe-anejo-miami");
    expect(suggestSlug("!!!")).toBe("");
  });

  it("reads an empty capacity as no limit and leaves the rest to the database", () => {
    expect(parseCapacity(" ")).toBeNull();
    expect(parseCapacity("80")).toBe(80);
    expect(parseCapacity("-1")).toBe(-1);
  });

  it("puts each refusal next to its field, others above the form", () => {
    expect(fieldOfRefusal("event_slug_taken")).toBe("slug");
    expect(fieldOfRefusal("event_ends_before_start")).toBe("endsLocal");
    expect(fieldOfRefusal("event_capacity_invalid")).toBe("capacity");
    expect(fieldOfRefusal("event_name_required")).toBe("name");
    expect(fieldOfRefusal("not_allowed")).toBeNull();
  });
});

describe("attendees", () => {
  const people = [
    { first_name: "Ada", last_name: "Lovelace", rsvp_at: "2026-11-20T10:00:00+00:00", checked_in_at: "2026-11-25T23:05:00+00:00" },
    { first_name: "Bea", last_name: null, rsvp_at: "2026-11-21T10:00:00+00:00", checked_in_at: null },
    { first_name: null, last_name: null, rsvp_at: null, checked_in_at: "2026-11-25T23:10:00+00:00" },
  ];

  it("pages on from the last row's cursor while pages come back full", () => {
    const page = [{ next_cursor: "1/a" }, { next_cursor: "1/b" }];
    expect(nextPageCursor(page, 2)).toBe("1/b");
    expect(nextPageCursor(page, 3)).toBeUndefined();
    expect(nextPageCursor([], 50)).toBeUndefined();
  });

  it("reads the filters' select values as the server's arguments", () => {
    expect(["", "rsvp", "walk_in", "other"].map(attendanceFilter)).toEqual([null, "rsvp", "walk_in", null]);
    expect(["", "in", "out"].map(checkedInFilter)).toEqual([null, true, false]);
  });

  it("names people, or says there is no name (an erased contact)", () => {
    expect(people.map(displayName)).toEqual(["Ada Lovelace", "Bea", null]);
  });
});

describe("attendeeListOnChange", () => {
  it("re-reads a list of one page (or none yet) and only marks a longer one as behind", () => {
    expect(attendeeListOnChange(0)).toBe("refetch");
    expect(attendeeListOnChange(1)).toBe("refetch");
    expect(attendeeListOnChange(2)).toBe("behind");
    expect(attendeeListOnChange(20)).toBe("behind");
  });
});
