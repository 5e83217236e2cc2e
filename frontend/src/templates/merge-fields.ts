/**
 * Merge fields as the database reads them (private.merge_field_pattern, known_merge_fields):
 * `{{ field }}` or `{{ field | default }}`, where field is a known name or `custom.<key>`. The
 * editor uses this to offer fields and name the unknown ones while typing; saving and the
 * preview are still refused by the database itself, which is the truth.
 */

export const KNOWN_MERGE_FIELDS = [
  "first_name",
  "last_name",
  "full_name",
  "email",
  "phone",
  "event_name",
  "event_date",
  "org_name",
] as const;
export type KnownMergeField = (typeof KNOWN_MERGE_FIELDS)[number];

const FIELD = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)?)\s*(\|([^{}]*))?\}\}/g;

export interface TemplateFieldCheck {
  /** Fields in the order they first appear. */
  fields: string[];
  /** Fields the database would refuse (unknown_merge_field). */
  unknown: string[];
  /** A "{{" or "}}" that is not part of a valid field (malformed_merge_field). */
  malformed: boolean;
}

export function isKnownField(field: string): boolean {
  return (KNOWN_MERGE_FIELDS as readonly string[]).includes(field) || /^custom\.[A-Za-z0-9_]+$/.test(field);
}

export function checkTemplateFields(text: string): TemplateFieldCheck {
  const fields: string[] = [];
  for (const match of text.matchAll(FIELD)) {
    const field = match[1] ?? "";
    if (!fields.includes(field)) fields.push(field);
  }
  const malformed = /\{\{|\}\}/.test(text.replace(FIELD, ""));
  return { fields, unknown: fields.filter((f) => !isKnownField(f)), malformed };
}

/** The text to insert for a field and an optional default ("{{first_name | friend}}"). */
export function mergeFieldToken(field: string, fallback: string): string {
  const clean = fallback.replace(/[{}]/g, "").trim();
  return clean === "" ? `{{${field}}}` : `{{${field} | ${clean}}}`;
}

/** Insert `token` into `text` at the selection [start, end), returning the text and the caret. */
export function insertAt(text: string, token: string, start: number, end: number): { text: string; caret: number } {
  return { text: text.slice(0, start) + token + text.slice(end), caret: start + token.length };
}
