/** The composer's form and the create_blast spec it becomes (see 20261125002120_blast_composer.sql). */
import type { Rule } from "../crm/segmentRules";

export type BlastChannel = "sms" | "email" | "both";

export interface VariantForm {
  label: string;
  templateId: string;
  weight: number;
}

/** What picks the winner (20261129040000_blast_email_engagement.sql): replies judge texts, opens
 * and clicks judge emails; a channel the metric does not fit is judged by delivery rate. */
export type WinnerMetric = "reply_rate" | "open_rate" | "click_rate" | "delivery_rate";

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
  /** A/B variants of the email; none = the one template. */
  emailVariants: VariantForm[];
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
  variants?: { channel: "sms" | "email"; label: string; template_id: string; weight: number }[];
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
  emailVariants: [],
  sendAtLocal: "",
  autoPause: true,
  winner: { enabled: false, testPercent: 20, minPerVariant: 100, decideAfterMinutes: 240, metric: "reply_rate" },
};

type AbChannels = Pick<ComposerForm, "channel" | "smsVariants" | "emailVariants">;

/** Whether the blast sends an A/B test (two or more variants) on SMS and on email. */
const abOn = (form: AbChannels) => ({
  sms: usesSms(form.channel) && form.smsVariants.length >= 2,
  email: usesEmail(form.channel) && form.emailVariants.length >= 2,
});

/** The composer offers "send the winner to the rest" only with two or more variants on a channel. */
export const canPickWinner = (form: AbChannels) => abOn(form).sms || abOn(form).email;

/** The metrics that fit the blast's A/B channels: reply rate for texts, open and click rate for
 * emails (the database refuses them without two email variants), delivery rate for both. */
export function winnerMetrics(form: AbChannels): WinnerMetric[] {
  const on = abOn(form);
  return [...(on.sms ? (["reply_rate"] as const) : []), ...(on.email ? (["open_rate", "click_rate"] as const) : []), "delivery_rate"];
}

/** The chosen metric if it still fits (the channel or the variants may have changed since), else the first that does. */
export function effectiveMetric(form: AbChannels & Pick<ComposerForm, "winner">): WinnerMetric {
  const offered = winnerMetrics(form);
  return offered.includes(form.winner.metric) ? form.winner.metric : (offered[0] ?? "delivery_rate");
}

/** The channel judged by delivery rate instead, because the metric does not fit it (null: none). */
export function fallbackChannel(form: AbChannels, metric: WinnerMetric): "sms" | "email" | null {
  const on = abOn(form);
  if (on.sms && (metric === "open_rate" || metric === "click_rate")) return "sms";
  if (on.email && metric === "reply_rate") return "email";
  return null;
}

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
  const variants: NonNullable<BlastSpec["variants"]> = [];
  // A channel with variants sends them instead of its one template.
  const chooseTemplates = (channel: "sms" | "email", templateId: string, channelVariants: readonly VariantForm[]) => {
    if (channelVariants.length > 0) {
      variants.push(...channelVariants.map((v) => ({ channel, label: v.label, template_id: v.templateId, weight: v.weight })));
    } else {
      choose(channel === "sms" ? "sms_template_id" : "email_template_id", templateId);
    }
  };
  if (usesSms(form.channel)) {
    choose("sms_sender_id", form.smsSenderId);
    chooseTemplates("sms", form.smsTemplateId, form.smsVariants);
  }
  if (usesEmail(form.channel)) {
    choose("email_sender_id", form.emailSenderId);
    chooseTemplates("email", form.emailTemplateId, form.emailVariants);
  }
  if (variants.length > 0) spec.variants = variants;
  if (form.winner.enabled && canPickWinner(form)) {
    spec.winner = {
      test_percent: form.winner.testPercent,
      min_per_variant: form.winner.minPerVariant,
      decide_after_minutes: form.winner.decideAfterMinutes,
      metric: effectiveMetric(form),
    };
  }
  if (form.sendAtLocal !== "") spec.scheduled_at = zonedLocalToUtc(form.sendAtLocal, orgTimeZone).toISOString();
  return spec;
}
