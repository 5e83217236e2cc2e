import { describe, expect, it } from "vitest";
import { parseCsv } from "./csvParse";

describe("parseCsv", () => {
  it("splits a spreadsheet export: BOM, CRLF, quotes, commas and line breaks in cells", () => {
    const text = '\uFEFFName,Email,Notes\r\n"Lopez, Ana",ana@example.com,"said ""hi""\nthen left"\r\n\r\nBen,ben@example.com,\r\n';
    expect(parseCsv(text)).toEqual({
      headers: ["Name", "Email", "Notes"],
      rows: [
        ["Lopez, Ana", "ana@example.com", 'said "hi"\nthen left'],
        ["Ben", "ben@example.com", ""],
      ],
    });
  });

  it("reads a last line without a line break and trims headers", () => {
    expect(parseCsv(" Phone ,Email\n305 555 0123,")).toEqual({ headers: ["Phone", "Email"], rows: [["305 555 0123", ""]] });
  });

  it("gives no headers for an empty file", () => {
    expect(parseCsv("")).toEqual({ headers: [], rows: [] });
  });
});
