import { describe, expect, it } from "vitest";
import { parseTestResult } from "./api";

describe("automation test result", () => {
  it("reads what test_automation answers", () => {
    const result = parseTestResult({
      due: 3,
      would_act: 2,
      would_send: 1,
      contacts: [{ id: "c1", name: "Ana Pérez" }, { id: "c2", name: null }],
      preview: { contact_id: "c1", name: "Ana Pérez", to_address: "+13055550801", may_send: true, subject: null, body: "Hi Ana", segments: 1 },
      test_message_id: null,
      test_sent_to: null,
    });
    expect(result).toEqual({
      due: 3,
      wouldAct: 2,
      wouldSend: 1,
      contacts: [{ id: "c1", name: "Ana Pérez" }, { id: "c2", name: "" }],
      preview: { name: "Ana Pérez", toAddress: "+13055550801", maySend: true, subject: null, body: "Hi Ana", segments: 1 },
      testSentTo: null,
    });
  });

  it("an add_tag automation has nothing to preview or send", () => {
    expect(parseTestResult({ due: 0, would_act: 0, would_send: null, contacts: [], preview: null })).toMatchObject({
      wouldSend: null,
      preview: null,
      contacts: [],
    });
  });
});
