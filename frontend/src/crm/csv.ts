/** A CSV file from rows, as spreadsheets read it (RFC 4180, CRLF, UTF-8 with a BOM for Excel). */

// A cell starting with one of these is run as a formula by spreadsheets: a contact named
// "=HYPERLINK(…)" must arrive as text. A plain number or phone ("+13055550101") is left alone.
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?[\d\s().-]+$/;

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text =
    typeof value === "string" ? value : Array.isArray(value) ? value.map(String).join(", ") : JSON.stringify(value);
  const safe = FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv<Row extends Record<string, unknown>>(rows: readonly Row[], columns: readonly (keyof Row & string)[]): string {
  const lines = [columns.join(","), ...rows.map((row) => columns.map((column) => cell(row[column])).join(","))];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** Offer `text` as a file download. */
export function download(text: string, fileName: string, type = "text/csv;charset=utf-8"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}
