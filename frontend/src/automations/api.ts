/** Every read and write of the automation screens. RLS lets organizers and above read and change
 * automations and read the run log; public.test_automation decides what a test shows. */
import type { Database } from "../lib/database.types";
import { AppError, throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";
import type { AutomationColumns, AutomationRow, Channel } from "./rules";

type Tables = Database["public"]["Tables"];
export type RunRow = Tables["automation_runs"]["Row"] & { automations: { name: string } | null };

export interface Choice {
  id: string;
  name: string;
}
export interface ChannelChoice extends Choice {
  channel: Channel;
}
export interface Choices {
  templates: ChannelChoice[];
  senders: ChannelChoice[];
  events: Choice[];
}

export interface TestResult {
  due: number;
  wouldAct: number;
  /** Of those, who would get the message (null for add_tag). */
  wouldSend: number | null;
  contacts: Choice[];
  preview: {
    name: string | null;
    toAddress: string | null;
    maySend: boolean;
    subject: string | null;
    body: string;
    segments: number;
  } | null;
  testSentTo: string | null;
}

/** A name another automation already has (the table's unique constraint). */
export class NameTakenError extends Error {
  constructor() {
    super("name_taken");
    this.name = "NameTakenError";
  }
}

export const automationKeys = {
  all: () => ["automations", "all"] as const,
  one: (id: string) => ["automations", "one", id] as const,
  choices: () => ["automations", "choices"] as const,
  runs: (automationId: string) => ["automation_runs", automationId] as const,
  allRuns: () => ["automation_runs"] as const,
};

export async function fetchAutomations(): Promise<AutomationRow[]> {
  const { data, error } = await supabase().from("automations").select("*").order("name");
  throwIfError(error);
  return data ?? [];
}

export async function fetchAutomation(id: string): Promise<AutomationRow> {
  const { data, error } = await supabase().from("automations").select("*").eq("id", id).maybeSingle();
  throwIfError(error);
  if (!data) throw new AppError("unknown_automation");
  return data;
}

/** What the editor offers: live templates and enabled senders per channel, recent events. */
export async function fetchChoices(): Promise<Choices> {
  const [templates, senders, events] = await Promise.all([
    supabase().from("message_templates").select("id, name, channel").is("archived_at", null).order("name"),
    supabase().from("senders").select("id, name, channel").eq("enabled", true).order("name"),
    supabase().from("events").select("id, name").order("starts_at", { ascending: false }).limit(50),
  ]);
  throwIfError(templates.error ?? senders.error ?? events.error);
  return { templates: templates.data ?? [], senders: senders.data ?? [], events: events.data ?? [] };
}

/** Insert (id null) or update; returns the saved row's id. */
export async function saveAutomation(id: string | null, columns: AutomationColumns): Promise<string> {
  const query = id
    ? supabase().from("automations").update(columns).eq("id", id).select("id").single()
    : supabase().from("automations").insert(columns).select("id").single();
  const { data, error } = await query;
  if (error?.code === "23505") throw new NameTakenError();
  throwIfError(error);
  if (!data) throw new AppError("unknown_automation");
  return data.id;
}

export async function setEnabled(id: string, enabled: boolean): Promise<void> {
  const { error } = await supabase().from("automations").update({ enabled }).eq("id", id);
  throwIfError(error);
}

export async function fetchRuns(automationId: string): Promise<RunRow[]> {
  let query = supabase().from("automation_runs").select("*, automations(name)");
  if (automationId !== "") query = query.eq("automation_id", automationId);
  const { data, error } = await query.order("started_at", { ascending: false }).order("id", { ascending: false }).limit(100);
  throwIfError(error);
  return data ?? [];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** public.test_automation's jsonb, read field by field (it is typed `Json`). */
export function parseTestResult(json: unknown): TestResult {
  const row = record(json);
  const preview = row.preview ? record(row.preview) : null;
  const contacts = Array.isArray(row.contacts) ? row.contacts.map(record) : [];
  return {
    due: Number(row.due ?? 0),
    wouldAct: Number(row.would_act ?? 0),
    wouldSend: typeof row.would_send === "number" ? row.would_send : null,
    contacts: contacts.map((contact) => ({ id: String(contact.id), name: text(contact.name) ?? "" })),
    preview: preview && {
      name: text(preview.name),
      toAddress: text(preview.to_address),
      maySend: preview.may_send === true,
      subject: text(preview.subject),
      body: text(preview.body) ?? "",
      segments: Number(preview.segments ?? 1),
    },
    testSentTo: text(row.test_sent_to),
  };
}

export async function testAutomation(id: string, sendToMe: boolean): Promise<TestResult> {
  const { data, error } = await supabase().rpc("test_automation", { p_automation_id: id, p_send_to_me: sendToMe });
  throwIfError(error);
  return parseTestResult(data);
}
