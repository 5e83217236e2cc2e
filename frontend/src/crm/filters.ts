/**
 * The contacts list's filter as the screen holds it, and its two translations: the arguments of
 * `list_contacts` (search + a segment definition, so a saved view IS a segment) and the URL's
 * query string (so a filtered list can be bookmarked, shared and restored on reload).
 * The database decides who matches; this only builds the question.
 */

export const SORTS = ["newest", "oldest", "name", "name_desc"] as const;
export type ContactSort = (typeof SORTS)[number];

export const CONSENT_FILTERS = ["opted_in", "opted_out", "unknown", "not_opted_out"] as const;
export type ConsentFilter = (typeof CONSENT_FILTERS)[number];

export const LANGUAGES = ["en", "es"] as const;
export type Language = (typeof LANGUAGES)[number];

export interface ContactFilter {
  search: string;
  tagsAny: string[];
  tagsNone: string[];
  attendedEvent: string | null;
  minCheckIns: number | null;
  consentSms: ConsentFilter | null;
  consentEmail: ConsentFilter | null;
  /** Inclusive start day, YYYY-MM-DD. */
  createdFrom: string | null;
  /** Inclusive end day, YYYY-MM-DD. */
  createdTo: string | null;
  language: Language | null;
  sort: ContactSort;
}

export const EMPTY_FILTER: ContactFilter = {
  search: "",
  tagsAny: [],
  tagsNone: [],
  attendedEvent: null,
  minCheckIns: null,
  consentSms: null,
  consentEmail: null,
  createdFrom: null,
  createdTo: null,
  language: null,
  sort: "newest",
};

/** A segment definition: the keys `private.segment_contact_ids` understands. */
export type SegmentDefinition = Record<string, string | number | boolean | string[]>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** The filter's criteria as a segment definition (search, language and sort are not criteria). */
export function toDefinition(filter: ContactFilter): SegmentDefinition {
  const definition: SegmentDefinition = {};
  if (filter.tagsAny.length > 0) definition.tags_any = filter.tagsAny;
  if (filter.tagsNone.length > 0) definition.tags_none = filter.tagsNone;
  if (filter.attendedEvent) definition.attended_events = [filter.attendedEvent];
  if (filter.minCheckIns !== null && filter.minCheckIns > 0) definition.min_checkins = filter.minCheckIns;
  if (filter.consentSms) definition.consent_sms = filter.consentSms;
  if (filter.consentEmail) definition.consent_email = filter.consentEmail;
  if (filter.createdFrom && DAY.test(filter.createdFrom)) definition.created_after = filter.createdFrom;
  // created_before is exclusive; the screen's "to" day is inclusive.
  if (filter.createdTo && DAY.test(filter.createdTo)) definition.created_before = nextDay(filter.createdTo);
  return definition;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function oneOf<T extends string>(list: readonly T[], value: unknown): T | null {
  return typeof value === "string" && (list as readonly string[]).includes(value) ? (value as T) : null;
}

function previousDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/** A saved segment's definition back into the screen's filter (keys the screen has no control for are dropped). */
export function fromDefinition(definition: Record<string, unknown>): ContactFilter {
  const createdAfter = typeof definition.created_after === "string" ? definition.created_after.slice(0, 10) : null;
  const createdBefore = typeof definition.created_before === "string" ? definition.created_before.slice(0, 10) : null;
  return {
    ...EMPTY_FILTER,
    tagsAny: strings(definition.tags_any),
    tagsNone: strings(definition.tags_none),
    attendedEvent: strings(definition.attended_events)[0] ?? null,
    minCheckIns: typeof definition.min_checkins === "number" ? definition.min_checkins : null,
    consentSms: oneOf(CONSENT_FILTERS, definition.consent_sms),
    consentEmail: oneOf(CONSENT_FILTERS, definition.consent_email),
    createdFrom: createdAfter && DAY.test(createdAfter) ? createdAfter : null,
    createdTo: createdBefore && DAY.test(createdBefore) ? previousDay(createdBefore) : null,
  };
}

/** The arguments of list_contacts / count_contacts / tag_matching_contacts / export_contact_list. */
export function toListArgs(filter: ContactFilter) {
  const definition = toDefinition(filter);
  return {
    p_search: filter.search.trim() === "" ? undefined : filter.search.trim(),
    p_definition: Object.keys(definition).length > 0 ? definition : undefined,
    p_language: filter.language ?? undefined,
  };
}

/** The filter as URL query parameters (only what differs from the empty filter). */
export function toSearchParams(filter: ContactFilter): Record<string, string> {
  const params: Record<string, string> = {};
  if (filter.search) params.q = filter.search;
  if (filter.tagsAny.length > 0) params.tags = filter.tagsAny.join(",");
  if (filter.tagsNone.length > 0) params.without = filter.tagsNone.join(",");
  if (filter.attendedEvent) params.event = filter.attendedEvent;
  if (filter.minCheckIns !== null) params.checkins = String(filter.minCheckIns);
  if (filter.consentSms) params.sms = filter.consentSms;
  if (filter.consentEmail) params.email = filter.consentEmail;
  if (filter.createdFrom) params.from = filter.createdFrom;
  if (filter.createdTo) params.to = filter.createdTo;
  if (filter.language) params.lang = filter.language;
  if (filter.sort !== "newest") params.sort = filter.sort;
  return params;
}

function list(value: string | undefined): string[] {
  return (value ?? "").split(",").map((item) => item.trim()).filter((item) => item !== "");
}

/** The filter a URL describes; anything unreadable is ignored rather than refused. */
export function fromSearchParams(params: Partial<Record<string, string>>): ContactFilter {
  const checkIns = Number.parseInt(params.checkins ?? "", 10);
  return {
    search: params.q ?? "",
    tagsAny: list(params.tags),
    tagsNone: list(params.without),
    attendedEvent: params.event ?? null,
    minCheckIns: Number.isInteger(checkIns) && checkIns >= 0 ? checkIns : null,
    consentSms: oneOf(CONSENT_FILTERS, params.sms),
    consentEmail: oneOf(CONSENT_FILTERS, params.email),
    createdFrom: params.from && DAY.test(params.from) ? params.from : null,
    createdTo: params.to && DAY.test(params.to) ? params.to : null,
    language: oneOf(LANGUAGES, params.lang),
    sort: oneOf(SORTS, params.sort) ?? "newest",
  };
}
