import { describe, expect, it } from "vitest";
import { senderRow, webhookUrls, type SenderDraft } from "./senderSetup";

const draft: SenderDraft = {
  kind: "twilio_number",
  name: " Main line ",
  address: "+1 (305) 555-0100",
  fromName: "",
  replyTo: "",
  mps: "",
  dailyCap: "",
};

describe("senderRow", () => {
  it("makes a Twilio number an SMS sender, the number without spaces or punctuation", () => {
    expect(senderRow(draft)).toEqual({
      name: "Main line",
      channel: "sms",
      provider: "twilio",
      from_number: "+13055550100",
      mps_segments: 1,
      daily_cap: null,
    });
  });
  it("sends through a Messaging Service by its SID", () => {
    expect(senderRow({ ...draft, kind: "twilio_service", address: "MG0123", mps: "3", dailyCap: "500" })).toMatchObject({
      provider: "twilio",
      messaging_service_sid: "MG0123",
      mps_segments: 3,
      daily_cap: 500,
    });
  });
  it("makes a MailerSend identity an email sender with optional name and reply-to", () => {
    expect(senderRow({ ...draft, kind: "mailersend", address: "team@hellomiami.org", fromName: "Hello Miami" })).toMatchObject({
      channel: "email",
      provider: "mailersend",
      from_email: "team@hellomiami.org",
      from_name: "Hello Miami",
      reply_to: null,
    });
  });
});

describe("webhookUrls", () => {
  it("puts each provider's path under the public base, whatever its trailing slashes", () => {
    expect(webhookUrls("https://hooks.hellomiami.org//").map((entry) => entry.url)).toEqual([
      "https://hooks.hellomiami.org/twilio/inbound",
      "https://hooks.hellomiami.org/twilio/status",
      "https://hooks.hellomiami.org/mailersend/events",
    ]);
  });
  it("gives nothing when the host did not configure a public base", () => {
    expect(webhookUrls(" ")).toEqual([]);
  });
});
