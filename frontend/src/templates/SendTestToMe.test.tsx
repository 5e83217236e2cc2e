import { render, screen } from "@solidjs/testing-library";
import { QueryClient, QueryClientProvider } from "@tanstack/solid-query";
import userEvent from "@testing-library/user-event";
import { notifyError, notifySuccess } from "../ui/notifications";
import { sendTemplateTest, type Template } from "./api";
import { SendTestToMe } from "./SendTestToMe";

// The network edge and the toasts are replaced; the database's side is pgTAP 842.
vi.mock("./api", () => ({ sendTemplateTest: vi.fn() }));
vi.mock("../ui/notifications", () => ({ notifyError: vi.fn(), notifySuccess: vi.fn() }));

const template = { id: "tpl-1", channel: "email" } as Template;

function renderButton(contactId: string) {
  const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  render(() => (
    <QueryClientProvider client={client}>
      <SendTestToMe template={template} contactId={contactId} />
    </QueryClientProvider>
  ));
}

describe("SendTestToMe", () => {
  beforeEach(() => {
    vi.mocked(sendTemplateTest).mockReset();
    vi.mocked(notifySuccess).mockReset();
    vi.mocked(notifyError).mockReset();
  });

  it("sends the saved template for the chosen contact to the person's own address", async () => {
    vi.mocked(sendTemplateTest).mockResolvedValue();
    renderButton("contact-1");
    expect(screen.getByText(/to your own email address\.$/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Send a test to me" }));
    expect(sendTemplateTest).toHaveBeenCalledWith("tpl-1", "contact-1");
    const words = vi.mocked(notifySuccess).mock.calls[0]?.[0];
    expect(words?.()).toBe("Test on its way to your email address.");
  });

  it("shows the database's refusal", async () => {
    const refusal = new Error("no_own_address");
    vi.mocked(sendTemplateTest).mockRejectedValue(refusal);
    renderButton("");
    await userEvent.click(screen.getByRole("button", { name: "Send a test to me" }));
    expect(notifyError).toHaveBeenCalledWith(refusal);
  });
});
