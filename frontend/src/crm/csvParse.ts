/**
 * Read a CSV file's text into a header row and data rows of cells (RFC 4180: quoted cells with
 * commas, doubled quotes and line breaks; CRLF or LF; a spreadsheet's BOM). Only splitting
 * happens here: what a cell means, whether it is valid and who it matches is the server's call.
 */
export interface ParsedCsv {
  headers: string[];
  rows: string[][];
}

export function parseCsv(text: string): ParsedCsv {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  let at = text.startsWith("\uFEFF") ? 1 : 0;
  const endRecord = () => {
    record.push(cell);
    cell = "";
    // A blank line is not a row.
    if (record.length > 1 || record[0] !== "") records.push(record);
    record = [];
  };
  for (; at < text.length; at += 1) {
    const char = text.charAt(at);
    if (quoted) {
      if (char === '"' && text.charAt(at + 1) === '"') {
        cell += '"';
        at += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        cell += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ",") {
      record.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text.charAt(at + 1) === "\n") at += 1;
      endRecord();
    } else {
      cell += char;
    }
  }
  if (cell !== "" || record.length > 0) endRecord();
  const [headers = [], ...rows] = records;
  return { headers: headers.map((header) => header.trim()), rows };
}
