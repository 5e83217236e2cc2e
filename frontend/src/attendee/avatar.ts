import { AppError } from "../lib/errors";

/** The widest an avatar is stored: shown at 96 px, sharp on 3× screens with room to spare. */
export const AVATAR_MAX_PX = 512;

/** How far the cropper zooms in: beyond 4× a phone photo is mostly blur at 512 px. */
export const MAX_ZOOM = 4;

/** Tried in order: WebP is the smallest; a browser that cannot encode it (the canvas then
 * silently hands back PNG, e.g. older Safari) gets JPEG. */
export const AVATAR_TYPES = ["image/webp", "image/jpeg"] as const;

/** The framed square encoded in the first format the browser really produced. */
export async function encodeAvatar(encode: (type: string) => Promise<Blob | null>): Promise<Blob> {
  for (const type of AVATAR_TYPES) {
    const image = await encode(type);
    if (image?.type === type) return image;
  }
  throw new AppError("unexpected", "This browser encodes neither WebP nor JPEG.");
}

/** Where the avatar is stored, under the attendee's own folder (the bucket's policies), named
 * by its format so the public URL serves the right type. */
export function avatarPath(userId: string, image: Blob): string {
  return `${userId}/avatar.${image.type === "image/webp" ? "webp" : "jpg"}`;
}
