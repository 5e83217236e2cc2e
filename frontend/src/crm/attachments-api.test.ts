import { describe, expect, it } from "vitest";
import { attachmentPath, editedAttachments, parseAttachments, previewKind } from "./attachments-api";

describe("attachmentPath", () => {
  it("files under the contact's folder with a unique prefix and a safe name", () => {
    expect(attachmentPath("c1", "u1", "Scan of ID (1).pdf")).toBe("c1/u1-Scan_of_ID_1_.pdf");
  });
  it("keeps accented names readable and never empty", () => {
    expect(attachmentPath("c1", "u1", "José.png")).toBe("c1/u1-Jose.png");
    expect(attachmentPath("c1", "u1", "???")).toBe("c1/u1-file");
  });
});

describe("previewKind", () => {
  it("previews images and PDFs only", () => {
    expect(previewKind("image/png")).toBe("image");
    expect(previewKind("application/pdf")).toBe("pdf");
    expect(previewKind("image/svg+xml")).toBeNull();
    expect(previewKind("text/html")).toBeNull();
  });
});

describe("parseAttachments", () => {
  it("reads stored attachments and skips malformed ones", () => {
    expect(parseAttachments([{ path: "c1/a.pdf", name: "a.pdf", content_type: "application/pdf", size: 3 }, { name: "x" }, 4])).toEqual([
      { path: "c1/a.pdf", name: "a.pdf", content_type: "application/pdf", size: 3 },
    ]);
    expect(parseAttachments(null)).toEqual([]);
  });
});

describe("editedAttachments", () => {
  const file = (path: string) => ({ path, name: path, content_type: "application/pdf", size: 1 });
  it("keeps the files not removed, in order, then the new uploads", () => {
    expect(editedAttachments([file("a"), file("b"), file("c")], new Set(["b"]), [file("d")]).map((f) => f.path)).toEqual([
      "a",
      "c",
      "d",
    ]);
  });
});
