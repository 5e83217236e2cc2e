import { describe, expect, it } from "vitest";
import { toCsv } from "../crm/csv";
import type { Attendee } from "./api";
import { ATTENDEE_CSV_COLUMNS, attendeeCsvRows } from "./logic";

const person = (overrides: Partial<Attendee>): Attendee => ({
  contact_id: "c1",
  first_name: "Ada",
  last_name: "Lovelace",
  email: "ada@example.com",
  phone: "+13055550101",
  rsvp_at: "2026-11-20T15:00:00+00:00",
  rsvp_source: "form",
  checked_in_at: null,
  method: null,
  first_timer: true,
  ...overrides,
});

describe("attendeeCsvRows", () => {
  it("says RSVP or walk-in and keeps the check-in instant", () => {
    const rows = attendeeCsvRows([
      person({}),
      person({ contact_id: "c2", first_name: "Bea", rsvp_at: null, rsvp_source: null, checked_in_at: "2026-12-01T23:42:00+00:00", method: "qr", first_timer: false }),
    ]);
    expect(rows.map((row) => [row.first_name, row.rsvp, row.checked_in_at, row.first_timer])).toEqual([
      ["Ada", "rsvp", null, "yes"],
      ["Bea", "walk_in", "2026-12-01T23:42:00+00:00", "no"],
    ]);
  });

  it("leaves out what the role could not read (null email or phone stays empty)", () => {
    const csv = toCsv(attendeeCsvRows([person({ email: null, phone: null })]), ATTENDEE_CSV_COLUMNS);
    expect(csv.split("\r\n")[0]).toBe(`\uFEFF${ATTENDEE_CSV_COLUMNS.join(",")}`);
    expect(csv.split("\r\n")[1]).toBe("Ada,Lovelace,,,rsvp,form,2026-11-20T15:00:00+00:00,,,yes");
  });
});
