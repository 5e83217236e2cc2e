import { runtimeConfig } from "../lib/config";
import { AppError, throwIfError } from "../lib/errors";
import type { Locale } from "../lib/i18n";
import { supabase } from "../lib/supabase";
import type { Channel, ConsentStatus } from "./api";
import { avatarPath } from "./avatar";

export interface Profile {
  bio: string | null;
  avatar_path: string | null;
  linkedin_url: string | null;
  github_url: string | null;
}

export async function fetchProfile(contactId: string): Promise<Profile | null> {
  const { data, error } = await supabase()
    .from("profiles")
    .select("bio, avatar_path, linkedin_url, github_url")
    .eq("contact_id", contactId)
    .maybeSingle();
  throwIfError(error);
  return data;
}

export interface ProfileChanges {
  first_name: string;
  last_name: string | null;
  pronouns: string | null;
  company: string | null;
  title: string | null;
  bio: string | null;
  linkedin_url: string | null;
  github_url: string | null;
}

/** Name-tag fields live on the contact, the rest on the profile; RLS lets the attendee write
 * only their own rows (and the guard trigger only their own profile fields). */
export async function saveProfile(contactId: string, changes: ProfileChanges): Promise<void> {
  const { bio, linkedin_url, github_url, ...contact } = changes;
  const contactUpdate = await supabase().from("contacts").update(contact).eq("id", contactId);
  throwIfError(contactUpdate.error);
  const profileUpsert = await supabase()
    .from("profiles")
    .upsert({ contact_id: contactId, bio, linkedin_url, github_url }, { onConflict: "contact_id" });
  throwIfError(profileUpsert.error);
}

export async function setPreferredLanguage(contactId: string, language: Locale): Promise<void> {
  const { error } = await supabase().from("contacts").update({ preferred_language: language }).eq("id", contactId);
  throwIfError(error);
}

export interface PastCheckIn {
  id: string;
  checked_in_at: string;
  event: { name: string; time_zone: string } | null;
}

export async function fetchMyCheckIns(contactId: string): Promise<PastCheckIn[]> {
  const { data, error } = await supabase()
    .from("check_ins")
    .select("id, checked_in_at, event:events(name, time_zone)")
    .eq("contact_id", contactId)
    .order("checked_in_at", { ascending: false });
  throwIfError(error);
  return data ?? [];
}

export async function fetchMyConsents(contactId: string): Promise<Partial<Record<Channel, ConsentStatus>>> {
  const { data, error } = await supabase()
    .from("contact_consents")
    .select("channel, status")
    .eq("contact_id", contactId);
  throwIfError(error);
  return Object.fromEntries((data ?? []).map((row) => [row.channel, row.status]));
}

/** Everything held about the signed-in person, as the JSON document gdpr_export builds. */
export async function exportMyData(): Promise<Blob> {
  const { data, error } = await supabase().rpc("gdpr_export", {});
  throwIfError(error);
  return new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
}

export async function requestErasure(): Promise<string> {
  const { data, error } = await supabase().rpc("request_my_erasure", {});
  throwIfError(error);
  if (!data) throw new AppError("unexpected", "request_my_erasure returned no time");
  return data;
}

/** When the signed-in person asked for deletion, if that request is still open. */
export async function fetchOpenErasureRequest(): Promise<string | null> {
  const { data, error } = await supabase().rpc("my_erasure_request");
  throwIfError(error);
  return data;
}

export function avatarUrl(path: string): string {
  return supabase().storage.from("avatars").getPublicUrl(path).data.publicUrl;
}

/**
 * Upload the avatar with progress, point the profile at it, then remove every other file in the
 * person's avatar folder (in that order: the profile never points at a file that is gone). A
 * photo in the other format (avatar.jpg under a new avatar.webp) would otherwise stay public
 * until erasure. supabase-js's upload uses fetch, which reports no upload progress, so the
 * upload is the same Storage call made with XMLHttpRequest.
 */
export async function uploadAvatar(userId: string, image: Blob, onProgress: (fraction: number) => void): Promise<string> {
  const { data } = await supabase().auth.getSession();
  const token = data.session?.access_token;
  if (!token) throw new AppError("session_expired");
  const { supabaseUrl, supabaseAnonKey } = runtimeConfig();
  const path = avatarPath(userId, image);
  await new Promise<void>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", `${supabaseUrl}/storage/v1/object/avatars/${path}`);
    request.setRequestHeader("authorization", `Bearer ${token}`);
    request.setRequestHeader("apikey", supabaseAnonKey);
    request.setRequestHeader("x-upsert", "true");
    request.setRequestHeader("content-type", image.type);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) resolve();
      else reject(new AppError(request.status === 401 ? "session_expired" : "unexpected", request.responseText));
    };
    request.onerror = () => {
      reject(new AppError("network"));
    };
    request.send(image);
  });
  const { error } = await supabase()
    .from("profiles")
    .upsert({ contact_id: await myContactId(userId), avatar_path: path }, { onConflict: "contact_id" });
  throwIfError(error);
  await removeOtherAvatars(userId, path);
  return path;
}

/** Through the Storage API as the person: the bucket's policies let them list and delete only
 * in their own folder. What was not removed is an error (the next upload tries again). */
async function removeOtherAvatars(userId: string, keep: string): Promise<void> {
  const bucket = supabase().storage.from("avatars");
  const listing = await bucket.list(userId);
  throwIfError(listing.error);
  // Entries without an id are folders (none are made here); only files are removed.
  const stale = (listing.data ?? []).filter((entry) => entry.id !== null).map((entry) => `${userId}/${entry.name}`).filter((name) => name !== keep);
  if (stale.length === 0) return;
  const removal = await bucket.remove(stale);
  throwIfError(removal.error);
  const removed = new Set((removal.data ?? []).map((object) => object.name));
  if (stale.some((name) => !removed.has(name))) throw new AppError("unexpected", `Not removed: ${stale.join(", ")}`);
}

async function myContactId(userId: string): Promise<string> {
  const { data, error } = await supabase().from("contacts").select("id").eq("user_id", userId).maybeSingle();
  throwIfError(error);
  if (!data) throw new AppError("unknown_attendee");
  return data.id;
}
