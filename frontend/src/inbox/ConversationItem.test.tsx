import { render, screen } from "@solidjs/testing-library";
import userEvent from "@testing-library/user-event";
import type { ConversationRow } from "./api";
import { ConversationItem } from "./ConversationItem";

const row: ConversationRow = {
  id: "c1",
  contact_id: "k1",
  contact_name: null,
  contact_phone: "+13055550123",
  status: "open",
  assigned_to: "u-ana",
  unread_count: 2,
  last_message_at: "2026-11-20T18:00:00Z",
  last_message_preview: "Is parking free?",
  last_message_direction: "inbound",
  sms_consent: "opted_in",
  sms_consent_source: "import",
  sms_consent_changed_at: "2026-11-01T12:00:00Z",
};

function renderItem(overrides: Partial<ConversationRow>, assignee: string | null) {
  const onOpen = vi.fn();
  render(() => (
    <ul>
      <ConversationItem row={{ ...row, ...overrides }} assignee={assignee} selected={false} onOpen={onOpen} />
    </ul>
  ));
  return onOpen;
}

describe("ConversationItem", () => {
  it("names the contact, the unread count for screen readers and the colleague who has it", async () => {
    const onOpen = renderItem({}, "ana@example.com");
    const link = screen.getByRole("link", { name: /\(305\) 555-0123/ });
    expect(link).toHaveTextContent("2 unread");
    expect(link).toHaveTextContent("Is parking free?");
    expect(link).toHaveTextContent("Assigned to ana@example.com");
    await userEvent.click(link);
    expect(onOpen).toHaveBeenCalledOnce();
  });

  it("says unassigned or closed rather than a name", () => {
    renderItem({ assigned_to: null, unread_count: 0, contact_name: "Bea Ruiz" }, null);
    expect(screen.getByRole("link", { name: /Bea Ruiz/ })).toHaveTextContent("Unassigned");
    expect(screen.queryByText(/unread/)).toBeNull();
  });

  it("shows a closed conversation as closed, whoever had it", () => {
    renderItem({ status: "closed" }, "ana@example.com");
    expect(screen.getByRole("link")).toHaveTextContent("Closed");
    expect(screen.getByRole("link")).not.toHaveTextContent("ana@example.com");
  });
});
