/** The composer's form and the create_blast spec it becomes (see 20261125002120_blast_composer.sql). */
import type { Rule } from "../crm/segmentRules";

export type BlastChannel = "sms" | "email" | "both";

export interface VariantForm {
  label: string;
  templateId: string;
  weight: number;
}

export type WinnerMetric = "reply_rate" | "delivery_rate";

/** "Send the winner to the rest": a test share of each variant (never fewer than a minimum),
 * then, after a time, the variant with the best metric goes to everybody else. */
export interface WinnerForm {
  enabled: boolean;
  testPercent: number;
  minPerVariant: number;
  decideAfterMinutes: number;
  metric: WinnerMetric;
}

export interface ComposerForm {
  name: string;
  channel: BlastChannel;
  /** A saved segment, or a filter kept as a one-off segment when the blast is created. */
  audience: "segment" | "filter";
  segmentId: string;
  filterRules: Rule[];
  smsTemplateId: string;
  emailTemplateId: string;
  smsSenderId: string;
  emailSenderId: string;
  /** A/B variants of the text (SMS); none = the one template. */
  smsVariants: VariantForm[];
  /** "" = send when started; else a local date-time ("2026-12-01T18:00") in the org's time zone. */
  sendAtLocal: string;
  autoPause: boolean;
  winner: WinnerForm;
}

export interface BlastSpec {
  name: string;
  channel: BlastChannel;
  segment_id?: string;
  auto_pause: boolean;
  sms_template_id?: string;
  email_template_id?: string;
  sms_sender_id?: string;
  email_sender_id?: string;
  variants?: { channel: "sms"; label: string; template_id: string; weight: number }[];
  scheduled_at?: string;
  winner?: { test_percent: number; min_per_variant: number; decide_after_minutes: number; metric: WinnerMetric };
}

export const EMPTY_COMPOSER: ComposerForm = {
  name: "",
  channel: "sms",
  audience: "segment",
  segmentId: "",
  filterRules: [],
  smsTemplateId: "",
  emailTemplateId: "",
  smsSenderId: "",
  emailSenderId: "",
  smsVariants: [],
  sendAtLocal: "",
  autoPause: true,
  winner: { enabled: false, testPercent: 20, minPerVariant: 100, decideAfterMinutes: 240, metric: "reply_rate" },
};

/** The composer offers "send the winner to the rest" only with two or more variants. */
export const canPickWinner = (form: Pick<ComposerForm, "channel" | "smsVariants">) =>
  usesSms(form.channel) && form.smsVariants.length >= 2;

export const usesSms = (channel: BlastChannel) => channel !== "email";
export const usesEmail = (channel: BlastChannel) => channel !== "sms";

/** The next free variant letter (A, B, C…). */
export function nextVariantLabel(variants: readonly VariantForm[]): string {
  for (let code = 65; code <= 90; code++) {
    const label = String.fromCharCode(code);
    if (!variants.some((v) => v.label === label)) return label;
  }
  return "Z";
}

/** Even weights that add up to 100 (the first ones take the remainder). */
export function evenWeights(count: number): number[] {
  if (count === 0) return [];
  const base = Math.floor(100 / count);
  return Array.from({ length: count }, (_, index) => base + (index < 100 - base * count ? 1 : 0));
}

export function weightTotal(variants: readonly VariantForm[]): number {
  return variants.reduce((sum, v) => sum + v.weight, 0);
}

/** The UTC instant of a wall-clock time in an IANA zone ("2026-12-01T18:00" in America/New_York
 * → 2026-12-01T23:00:00.000Z), correct across daylight-saving changes. */
export function zonedLocalToUtc(local: string, timeZone: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) throw new RangeError(`not a local date-time: ${local}`);
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const offsetAt = (instant: number) => {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    }).formatToParts(new Date(instant));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute")) - instant;
  };
  // Twice: the offset at the guess can differ from the offset at the answer near a DST change.
  const first = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(first));
}

export function toSpec(form: ComposerForm, orgTimeZone: string): BlastSpec {
  const spec: BlastSpec = { name: form.name.trim(), channel: form.channel, auto_pause: form.autoPause };
  // Empty choices are left out: the database names what is missing (blast_missing_template…).
  const choose = (key: "segment_id" | "sms_template_id" | "email_template_id" | "sms_sender_id" | "email_sender_id", id: string) => {
    if (id !== "") spec[key] = id;
  };
  choose("segment_id", form.segmentId);
  if (usesSms(form.channel)) {
    choose("sms_sender_id", form.smsSenderId);
    if (form.smsVariants.length > 0) {
      spec.variants = form.smsVariants.map((v) => ({ channel: "sms", label: v.label, template_id: v.templateId, weight: v.weight }));
    } else {
      choose("sms_template_id", form.smsTemplateId);
    }
  }
  if (usesEmail(form.channel)) {
    choose("email_sender_id", form.emailSenderId);
    choose("email_template_id", form.emailTemplateId);
  }
  if (form.winner.enabled && canPickWinner(form)) {
    spec.winner = {
      test_percent: form.winner.testPercent,
      min_per_variant: form.winner.minPerVariant,
      decide_after_minutes: form.winner.decideAfterMinutes,
      metric: form.winner.metric,
    };
  }
  if (form.sendAtLocal !== "") spec.scheduled_at = zonedLocalToUtc(form.sendAtLocal, orgTimeZone).toISOString();
  return spec;
}
