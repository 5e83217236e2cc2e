/** Interaction attachments in the private `attachments` bucket (organizers and up, by Storage
 * RLS): uploaded with XHR for progress (supabase-js's upload uses fetch, which reports none),
 * opened through signed links that expire. */
import { AppError, throwIfError } from "../lib/errors";
import { runtimeConfig } from "../lib/config";
import { supabase } from "../lib/supabase";

export const BUCKET = "attachments";
/** The bucket's file_size_limit. */
export const MAX_BYTES = 50 * 1024 * 1024;
/** How long an opened link works. */
export const LINK_SECONDS = 300;

// A type alias, not an interface: it must fit the generated `Json` column type.
export type Attachment = {
  path: string;
  name: string;
  content_type: string;
  size: number;
};

/** `<contact id>/<unique id>-<name>`: the contact's folder (the erase empties it), a name that
 * never collides, and the file's own name kept readable (only characters Storage accepts). */
export function attachmentPath(contactId: string, uniqueId: string, fileName: string): string {
  const safe = fileName.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^\w.-]+/g, "_").replace(/^_+|_+$/g, "").slice(-100);
  return `${contactId}/${uniqueId}-${safe || "file"}`;
}

export type PreviewKind = "image" | "pdf" | null;

export function previewKind(contentType: string): PreviewKind {
  if (/^image\/(png|jpeg|gif|webp)$/.test(contentType)) return "image";
  return contentType === "application/pdf" ? "pdf" : null;
}

/** Attachments as stored on an interaction (ignoring anything malformed). */
export function parseAttachments(value: unknown): Attachment[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== "object" || item === null) return [];
    const { path, name, content_type: contentType, size } = item as Record<string, unknown>;
    if (typeof path !== "string") return [];
    return [
      {
        path,
        name: typeof name === "string" ? name : path,
        content_type: typeof contentType === "string" ? contentType : "application/octet-stream",
        size: typeof size === "number" ? size : 0,
      },
    ];
  });
}

/** POST the file to Storage as the signed-in organizer, reporting progress from 0 to 1. */
export async function uploadAttachment(contactId: string, file: File, onProgress: (fraction: number) => void): Promise<Attachment> {
  if (file.size > MAX_BYTES) throw new AppError("invalid_argument");
  const { data } = await supabase().auth.getSession();
  const token = data.session?.access_token;
  if (!token) throw new AppError("session_expired");
  const { supabaseUrl, supabaseAnonKey } = runtimeConfig();
  const path = attachmentPath(contactId, crypto.randomUUID(), file.name);
  const contentType = file.type || "application/octet-stream";
  await new Promise<void>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", `${supabaseUrl}/storage/v1/object/${BUCKET}/${path}`);
    request.setRequestHeader("Authorization", `Bearer ${token}`);
    request.setRequestHeader("apikey", supabaseAnonKey);
    request.setRequestHeader("Content-Type", contentType);
    request.setRequestHeader("x-upsert", "false");
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) resolve();
      else reject(new AppError(request.status === 401 ? "session_expired" : "not_allowed"));
    };
    request.onerror = () => { reject(new AppError("network")); };
    request.send(file);
  });
  onProgress(1);
  return { path, name: file.name, content_type: contentType, size: file.size };
}

/** A link to the file that stops working after LINK_SECONDS. */
export async function signedLink(path: string): Promise<string> {
  const { data, error } = await supabase().storage.from(BUCKET).createSignedUrl(path, LINK_SECONDS);
  throwIfError(error);
  if (!data) throw new AppError("unexpected");
  return data.signedUrl;
}

/** Log an interaction with its files (the row points at them; the erase deletes them). */
export async function logInteractionWithFiles(
  contactId: string,
  kind: "note" | "call" | "meeting" | "email",
  body: string,
  attachments: Attachment[],
): Promise<void> {
  const { error } = await supabase()
    .from("interactions")
    .insert({ contact_id: contactId, kind, body, attachments });
  throwIfError(error);
}

/** The files an interaction keeps after an edit: those not removed, then the new uploads. */
export function editedAttachments(current: readonly Attachment[], removed: ReadonlySet<string>, added: readonly Attachment[]): Attachment[] {
  return [...current.filter((file) => !removed.has(file.path)), ...added];
}

/** Replace an existing interaction's files, then delete the removed ones from Storage (in that
 * order: the row never points at a file that is gone). */
export async function saveInteractionFiles(interactionId: string, attachments: Attachment[], removedPaths: string[]): Promise<void> {
  const { error } = await supabase().from("interactions").update({ attachments }).eq("id", interactionId);
  throwIfError(error);
  if (removedPaths.length === 0) return;
  const removal = await supabase().storage.from(BUCKET).remove(removedPaths);
  throwIfError(removal.error);
}
