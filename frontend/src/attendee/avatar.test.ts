import { describe, expect, it } from "vitest";
import { AppError } from "../lib/errors";
import { avatarPath, encodeAvatar } from "./avatar";

// What a canvas hands back: the asked type when it can encode it, else PNG.
const canvasThatEncodes = (supported: string[]) => (type: string) =>
  Promise.resolve(new Blob(["x"], { type: supported.includes(type) ? type : "image/png" }));

describe("avatar encoding", () => {
  it("prefers WebP", async () => {
    expect((await encodeAvatar(canvasThatEncodes(["image/webp", "image/jpeg"]))).type).toBe("image/webp");
  });
  it("falls back to JPEG when the browser silently gives PNG for WebP", async () => {
    expect((await encodeAvatar(canvasThatEncodes(["image/jpeg"]))).type).toBe("image/jpeg");
  });
  it("refuses clearly when neither can be encoded", async () => {
    await expect(encodeAvatar(canvasThatEncodes([]))).rejects.toBeInstanceOf(AppError);
    await expect(encodeAvatar(() => Promise.resolve(null))).rejects.toBeInstanceOf(AppError);
  });
  it("stores it in the attendee's own folder, named by its format", () => {
    expect(avatarPath("u1", new Blob([], { type: "image/webp" }))).toBe("u1/avatar.webp");
    expect(avatarPath("u1", new Blob([], { type: "image/jpeg" }))).toBe("u1/avatar.jpg");
  });
});
