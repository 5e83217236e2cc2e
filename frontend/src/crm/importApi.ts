/** CSV import as a server job: stage, preview, start, run chunks. The server guesses the
 * mapping, validates, deduplicates and imports; the browser only splits the file into cells,
 * keeps the file in Storage and shows what the server says. */
import type { Database, Json } from "../lib/database.types";
import { AppError, throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";
import type { ParsedCsv } from "./csvParse";

export type ContactImport = Database["public"]["Tables"]["contact_imports"]["Row"];
export type ImportRowResult = Pick<
  Database["public"]["Tables"]["contact_import_rows"]["Row"],
  "row_number" | "status" | "reason" | "contact_id"
>;
export type PreviewRow = Omit<Database["public"]["Functions"]["preview_contact_import"]["Returns"][number], "reason"> & {
  reason: string | null;
};
/** {CSV header: field} — a field name, "custom:<name>" or "-" (ignore). */
export type Mapping = Record<string, string>;

export const TARGETS = [
  "-",
  "phone",
  "email",
  "first_name",
  "last_name",
  "full_name",
  "pronouns",
  "company",
  "title",
  "tags",
  "time_zone",
  "birthday",
  "consent_sms",
  "consent_email",
] as const;

/** Rows per chunk: one transaction each, so a killed import loses at most this many to redo. */
export const CHUNK_SIZE = 500;
export const PREVIEW_ROWS = 50;
const BUCKET = "contact-imports";

export function toMapping(value: Json): Mapping {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** Keep the file in Storage (the record of what was imported), then stage its rows. */
export async function stageImport(file: File, parsed: ParsedCsv): Promise<string> {
  if (parsed.headers.length === 0 || parsed.rows.length === 0) throw new AppError("invalid_argument");
  const path = `${crypto.randomUUID()}/${file.name.replace(/[^\w.-]+/g, "_")}`;
  const upload = await supabase().storage.from(BUCKET).upload(path, file, { contentType: "text/csv" });
  throwIfError(upload.error);
  const { data, error } = await supabase().rpc("create_contact_import", {
    p_file_name: file.name,
    p_headers: parsed.headers,
    p_rows: parsed.rows,
    p_storage_path: `${BUCKET}/${path}`,
  });
  throwIfError(error);
  if (!data) throw new AppError("unexpected");
  return data;
}

export async function fetchImport(id: string): Promise<ContactImport> {
  const { data, error } = await supabase().from("contact_imports").select("*").eq("id", id).maybeSingle();
  throwIfError(error);
  if (!data) throw new AppError("unknown_import");
  return data;
}

export async function fetchRecentImports(): Promise<ContactImport[]> {
  const { data, error } = await supabase().from("contact_imports").select("*").order("created_at", { ascending: false }).limit(10);
  throwIfError(error);
  return data ?? [];
}

export async function previewImport(id: string, mapping: Mapping): Promise<PreviewRow[]> {
  const { data, error } = await supabase().rpc("preview_contact_import", {
    p_import_id: id,
    p_mapping: mapping,
    p_limit: PREVIEW_ROWS,
  });
  throwIfError(error);
  return data ?? [];
}

export async function startImport(id: string, mapping: Mapping, source: string, consentProof: string): Promise<void> {
  const { error } = await supabase().rpc("start_contact_import", {
    p_import_id: id,
    p_mapping: mapping,
    p_source: source,
    p_consent_proof: consentProof.trim() === "" ? undefined : consentProof,
  });
  throwIfError(error);
}

/** Run chunks until none is pending; any runner (another tab, the CLI) may share the work. */
export async function runImport(id: string): Promise<void> {
  for (;;) {
    const { data, error } = await supabase().rpc("run_contact_import_chunk", { p_import_id: id, p_size: CHUNK_SIZE });
    throwIfError(error);
    if (!data) return;
  }
}

export async function fetchImportResults(id: string): Promise<ImportRowResult[]> {
  const rows: ImportRowResult[] = [];
  const page = 1000;
  for (let from = 0; ; from += page) {
    const { data, error } = await supabase()
      .from("contact_import_rows")
      .select("row_number, status, reason, contact_id")
      .eq("import_id", id)
      .order("row_number")
      .range(from, from + page - 1);
    throwIfError(error);
    rows.push(...(data ?? []));
    if (!data || data.length < page) return rows;
  }
}
