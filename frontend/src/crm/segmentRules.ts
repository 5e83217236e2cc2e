/**
 * The segment builder's rules and their translation to and from a segment definition (the JSON
 * `private.segment_where` compiles on the server). One rule per kind: the definition is a flat
 * object, so two rules of one kind would overwrite each other. The server validates and decides
 * who matches; this only builds the question and reads a saved one back.
 */
import { CONSENT_FILTERS, type ConsentFilter } from "./filters";

/** A definition as the builder writes it (custom_field_equals is an object). */
export type BuiltDefinition = Record<string, string | number | boolean | string[] | Record<string, string>>;

export const RULE_KINDS = [
  "tags_any",
  "tags_all",
  "tags_none",
  "attended_events",
  "attended_last_events",
  "min_checkins",
  "first_timers",
  "no_checkin_days",
  "last_checkin_after",
  "last_checkin_before",
  "created_between",
  "has_phone",
  "has_email",
  "consent_sms",
  "consent_email",
  "custom_field",
  "source",
  "replied_within_days",
  "received_blasts",
  "opened_blasts",
  "clicked_blasts",
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
type CountKind = "attended_last_events" | "min_checkins" | "no_checkin_days" | "replied_within_days";
export type BlastKind = "received_blasts" | "opened_blasts" | "clicked_blasts";

/** Blast rules that only email can answer: Twilio reports no opens or clicks for a text. */
export const EMAIL_ONLY_BLAST_KINDS: readonly BlastKind[] = ["opened_blasts", "clicked_blasts"];

/** The largest "within N days" the server accepts (private.validate_segment_definition). */
export const MAX_DAYS = 36500;

export type Rule =
  | { kind: "tags_any" | "tags_all" | "tags_none"; tags: string[] }
  | { kind: "attended_events"; events: string[] }
  | { kind: CountKind; count: number }
  | { kind: "first_timers" }
  | { kind: "last_checkin_after" | "last_checkin_before"; day: string }
  | { kind: BlastKind; blasts: string[] }
  | { kind: "created_between"; from: string; to: string }
  | { kind: "has_phone" | "has_email"; value: boolean }
  | { kind: "consent_sms" | "consent_email"; status: ConsentFilter }
  | { kind: "custom_field"; key: string; value: string }
  | { kind: "source"; value: string };

/** A new rule of a kind with neutral values (it matches everyone until filled in, where it can). */
export function newRule(kind: RuleKind): Rule {
  switch (kind) {
    case "tags_any":
    case "tags_all":
    case "tags_none":
      return { kind, tags: [] };
    case "attended_events":
      return { kind, events: [] };
    case "attended_last_events":
    case "min_checkins":
    case "no_checkin_days":
    case "replied_within_days":
      return { kind, count: kind === "no_checkin_days" ? 90 : kind === "replied_within_days" ? 30 : 1 };
    case "first_timers":
      return { kind };
    case "last_checkin_after":
    case "last_checkin_before":
      return { kind, day: "" };
    case "received_blasts":
    case "opened_blasts":
    case "clicked_blasts":
      return { kind, blasts: [] };
    case "created_between":
      return { kind, from: "", to: "" };
    case "has_phone":
    case "has_email":
      return { kind, value: true };
    case "consent_sms":
    case "consent_email":
      return { kind, status: "opted_in" };
    case "custom_field":
      return { kind, key: "", value: "" };
    case "source":
      return { kind, value: "" };
  }
}

/** Why a count rule's number cannot be sent (the rule is left out until it is fixed), or null. */
export function countProblem(rule: { kind: CountKind; count: number }): "countAtLeastZero" | "countAtLeastOne" | "daysRange" | null {
  switch (rule.kind) {
    case "min_checkins":
      return Number.isInteger(rule.count) && rule.count >= 0 ? null : "countAtLeastZero";
    case "replied_within_days":
    case "no_checkin_days":
      return Number.isInteger(rule.count) && rule.count >= 1 && rule.count <= MAX_DAYS ? null : "daysRange";
    default:
      return Number.isInteger(rule.count) && rule.count >= 1 ? null : "countAtLeastOne";
  }
}

/** Tags typed as "a, b , c": trimmed, without empties and duplicates. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(",").map((tag) => tag.trim()).filter((tag) => tag !== ""))];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function shiftDay(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The rules as one definition; a rule that is not filled in yet adds nothing. */
export function toSegmentDefinition(rules: readonly Rule[]): BuiltDefinition {
  const definition: BuiltDefinition = {};
  for (const rule of rules) {
    switch (rule.kind) {
      case "tags_any":
      case "tags_all":
      case "tags_none":
        if (rule.tags.length > 0) definition[rule.kind] = rule.tags;
        break;
      case "attended_events":
        if (rule.events.length > 0) definition.attended_events = rule.events;
        break;
      case "attended_last_events":
      case "no_checkin_days":
      case "min_checkins":
      case "replied_within_days":
        if (countProblem(rule) === null) definition[rule.kind] = rule.count;
        break;
      case "last_checkin_after":
      case "last_checkin_before":
        // A day: "after" is from its midnight on, "before" up to its midnight (the server compares
        // the last check-in with the date as a timestamp).
        if (DAY.test(rule.day)) definition[rule.kind] = rule.day;
        break;
      case "received_blasts":
      case "opened_blasts":
      case "clicked_blasts":
        if (rule.blasts.length > 0) definition[rule.kind] = rule.blasts;
        break;
      case "first_timers":
        definition.min_checkins = 1;
        definition.max_checkins = 1;
        break;
      case "created_between":
        if (DAY.test(rule.from)) definition.created_after = rule.from;
        // created_before is exclusive; the builder's "to" day is inclusive.
        if (DAY.test(rule.to)) definition.created_before = shiftDay(rule.to, 1);
        break;
      case "has_phone":
      case "has_email":
        definition[rule.kind] = rule.value;
        break;
      case "consent_sms":
      case "consent_email":
        definition[rule.kind] = rule.status;
        break;
      case "custom_field":
        if (rule.key.trim() !== "") {
          definition.custom_field_equals = { [rule.key.trim()]: rule.value };
        }
        break;
      case "source":
        if (rule.value.trim() !== "") definition.source = rule.value.trim();
        break;
    }
  }
  return definition;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function positive(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : null;
}

/** A saved definition back into rules (keys the builder has no rule for are dropped). */
export function fromSegmentDefinition(definition: Record<string, unknown>): Rule[] {
  const rules: Rule[] = [];
  for (const kind of ["tags_any", "tags_all", "tags_none"] as const) {
    const tags = strings(definition[kind]);
    if (tags.length > 0) rules.push({ kind, tags });
  }
  const events = strings(definition.attended_events);
  if (events.length > 0) rules.push({ kind: "attended_events", events });
  const lastEvents = positive(definition.attended_last_events);
  if (lastEvents) rules.push({ kind: "attended_last_events", count: lastEvents });
  const min = positive(definition.min_checkins);
  const max = positive(definition.max_checkins);
  if (min === 1 && max === 1) rules.push({ kind: "first_timers" });
  else if (min !== null) rules.push({ kind: "min_checkins", count: min });
  const quietDays = positive(definition.no_checkin_days);
  if (quietDays) rules.push({ kind: "no_checkin_days", count: quietDays });
  for (const kind of ["last_checkin_after", "last_checkin_before"] as const) {
    const day = typeof definition[kind] === "string" ? definition[kind].slice(0, 10) : "";
    if (DAY.test(day)) rules.push({ kind, day });
  }
  const after = typeof definition.created_after === "string" ? definition.created_after.slice(0, 10) : "";
  const before = typeof definition.created_before === "string" ? definition.created_before.slice(0, 10) : "";
  if (DAY.test(after) || DAY.test(before)) {
    rules.push({
      kind: "created_between",
      from: DAY.test(after) ? after : "",
      to: DAY.test(before) ? shiftDay(before, -1) : "",
    });
  }
  for (const kind of ["has_phone", "has_email"] as const) {
    const value = definition[kind];
    if (typeof value === "boolean") rules.push({ kind, value });
  }
  for (const kind of ["consent_sms", "consent_email"] as const) {
    const status = CONSENT_FILTERS.find((item) => item === definition[kind]);
    if (status) rules.push({ kind, status });
  }
  const custom = definition.custom_field_equals;
  if (custom && typeof custom === "object" && !Array.isArray(custom)) {
    const [entry] = Object.entries(custom);
    if (entry && typeof entry[1] === "string") rules.push({ kind: "custom_field", key: entry[0], value: entry[1] });
  }
  if (typeof definition.source === "string") rules.push({ kind: "source", value: definition.source });
  const repliedDays = positive(definition.replied_within_days);
  if (repliedDays) rules.push({ kind: "replied_within_days", count: repliedDays });
  for (const kind of ["received_blasts", "opened_blasts", "clicked_blasts"] as const) {
    const blasts = strings(definition[kind]);
    if (blasts.length > 0) rules.push({ kind, blasts });
  }
  return rules;
}

/** The kinds still free to add (one rule per kind; "first timers" and "checked in at least"
 * both set the check-in count, so one excludes the other). */
export function availableKinds(rules: readonly Rule[]): RuleKind[] {
  const used = new Set<RuleKind>(rules.map((rule) => rule.kind));
  if (used.has("first_timers")) used.add("min_checkins");
  if (used.has("min_checkins")) used.add("first_timers");
  return RULE_KINDS.filter((kind) => !used.has(kind));
}
