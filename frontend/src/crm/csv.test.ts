import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

describe("toCsv", () => {
  it("quotes what needs quoting and neutralises formulas", () => {
    const csv = toCsv(
      [{ name: 'Ada "the" Countess', tags: ["a", "b"], note: "=HYPERLINK(1)", phone: "+13055550101", empty: null }],
      ["name", "tags", "note", "phone", "empty"],
    );
    expect(csv).toBe(
      '\uFEFFname,tags,note,phone,empty\r\n"Ada ""the"" Countess","a, b",\'=HYPERLINK(1),+13055550101,\r\n',
    );
    expect(toCsv([{ a: "-2+3+cmd|' /C calc'!A0" }], ["a"])).toContain("'-2+3");
  });
});
