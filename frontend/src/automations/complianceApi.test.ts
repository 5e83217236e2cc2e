import { describe, expect, it } from "vitest";
import { helpReplyGaps, replyBody } from "./complianceApi";

describe("compliance settings", () => {
  it("find each reply by kind and language", () => {
    const replies = [
      { kind: "help", language: "es", body: "Ayuda" },
      { kind: "help", language: "en", body: "Help" },
    ];
    expect(replyBody(replies, "help", "es")).toBe("Ayuda");
    expect(replyBody(replies, "opt_in", "en")).toBe("");
  });

  it("say what a HELP answer lacks, as the database would refuse it", () => {
    expect(helpReplyGaps("{{org_name}}: reply STOP to opt out. Help: {{contact_address}}")).toEqual([]);
    expect(helpReplyGaps("Reply stop to opt out")).toEqual(["stop", "contact"]);
  });
});
