// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { didText, occasionText } from "./summary";

describe("run occasions", () => {
  const events = [{ id: "6f1c0b1e-0000-4000-8000-000000000001", name: "Demo Night" }];

  it("name the event, the birthday year, the lapse", () => {
    expect(occasionText("6f1c0b1e-0000-4000-8000-000000000001", events)).toBe("Demo Night");
    expect(occasionText("birthday-2031", events)).toBe("Birthday 2031");
    expect(occasionText("lapsed-2030-01-10", events)).toBe("No check-in since 2030-01-10");
    expect(occasionText("first", events)).toBe("First check-in");
    expect(occasionText("run", events)).toBe("The whole run");
  });

  it("show an event no longer listed as it is stored", () => {
    expect(occasionText("0d7e3c4a-0000-4000-8000-000000000002", events)).toBe("0d7e3c4a-0000-4000-8000-000000000002");
  });
});

describe("what a run did", () => {
  it("says the template and channel it sent, or the tag it added", () => {
    expect(didText({ action: "send_template", channel: "email", template_name: "Thanks", tag: null, status: "completed" })).toBe(
      "Sent “Thanks” by Email",
    );
    expect(didText({ action: "add_tag", channel: null, template_name: null, tag: "newcomer", status: "completed" })).toBe(
      "Added the tag “newcomer”",
    );
  });

  it("says nothing for a failed run (its error does)", () => {
    expect(didText({ action: "send_template", channel: "sms", template_name: "Thanks", tag: null, status: "failed" })).toBe("");
  });
});
