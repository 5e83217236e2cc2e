import { render, screen, within } from "@solidjs/testing-library";
import { QueryClient, QueryClientProvider } from "@tanstack/solid-query";
import userEvent from "@testing-library/user-event";
import { download } from "../crm/csv";
import { fetchAbTest, fetchRecipients, fetchResults, type RecipientResult, type VariantResult } from "./api";
import { BlastResults } from "./BlastResults";

// Only the network edge (and the file download) is replaced; the SQL is tested in
// supabase/tests/database/985-blast-email-ab.sql.
vi.mock("./api", () => ({
  RECIPIENTS_PAGE: 50,
  blastKeys: {
    results: (id: string) => ["results", id],
    recipients: (...key: unknown[]) => ["recipients", ...key],
    abTest: (id: string) => ["ab", id],
  },
  fetchResults: vi.fn(),
  fetchRecipients: vi.fn(),
  fetchAbTest: vi.fn(() => Promise.resolve(null)),
}));
vi.mock("../crm/csv", async (importOriginal) => ({ ...(await importOriginal<typeof import("../crm/csv")>()), download: vi.fn() }));

const variant = (channel: "sms" | "email", label: string, sent: number, opened: number | null, clicked: number | null): VariantResult => ({
  channel,
  variant: label,
  recipients: sent,
  to_send: 0,
  sent,
  delivered: sent,
  failed: 0,
  skipped: 0,
  opted_out: 0,
  opened,
  clicked,
});

const recipient = (id: number, name: string, opened_at: string | null, clicked_at: string | null): RecipientResult => ({
  recipient_id: id,
  contact_id: `c${id}`,
  contact_name: name,
  channel: "email",
  variant: "B",
  to_address: `${name.toLowerCase()}@example.com`,
  outcome: "delivered",
  skip_reason: null,
  error_code: null,
  sent_at: "2026-12-01T18:00:00Z",
  delivered_at: "2026-12-01T18:00:05Z",
  opted_out: false,
  opened_at,
  clicked_at,
});

function renderResults() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(() => (
    <QueryClientProvider client={client}>
      <BlastResults blastId="b1" blastName="Subject lines" />
    </QueryClientProvider>
  ));
}

describe("BlastResults", () => {
  beforeEach(() => {
    vi.mocked(fetchAbTest).mockClear();
    vi.mocked(download).mockReset();
    vi.mocked(fetchRecipients).mockReset().mockResolvedValue([
      recipient(1, "Ana", "2026-12-01T18:10:00Z", "2026-12-01T18:11:00Z"),
      recipient(2, "Luis", null, null),
    ]);
  });

  it("shows opens and clicks per email variant and per recipient, filters on them and exports them", async () => {
    vi.mocked(fetchResults).mockResolvedValue([variant("email", "A", 5, 1, 1), variant("email", "B", 4, 3, 0), variant("sms", "A", 10, null, null)]);
    renderResults();
    const byVariant = await screen.findByRole("table", { name: "Results per variant" });
    const headers = within(byVariant).getAllByRole("columnheader").map((h) => h.textContent);
    expect(headers.slice(-4)).toEqual(["Opened", "Opened %", "Clicked", "Clicked %"]);
    // The cells of one channel's variant, by their text.
    const cells = (channel: string, label: string) =>
      within(byVariant)
        .getAllByRole("row")
        .map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent))
        .find((texts) => texts[0] === channel && texts[1] === label) ?? [];
    expect(cells("Email", "B").slice(-4)).toEqual(["3", "75%", "0", "0%"]);
    // Texts report no opens or clicks: a dash, not a misleading zero.
    expect(cells("Text (SMS)", "A").slice(-4)).toEqual(["—", "—", "—", "—"]);

    const recipients = await screen.findByRole("table", { name: "Recipients" });
    expect(within(recipients).getAllByRole("columnheader").map((h) => h.textContent)).toEqual([
      "Name",
      "Address",
      "Variant",
      "Outcome",
      "Opened",
      "Clicked",
      "Detail",
    ]);
    const luis = within(recipients).getByRole("cell", { name: "Luis" }).closest("tr");
    expect([...(luis?.querySelectorAll("td") ?? [])].slice(4, 6).map((c) => c.textContent)).toEqual(["—", "—"]);
    expect(within(recipients).getByRole("cell", { name: "Ana" }).closest("tr")?.textContent).toMatch(/Dec 1, 2026/);

    await userEvent.selectOptions(screen.getByLabelText("Email activity"), "not_opened");
    expect(fetchRecipients).toHaveBeenLastCalledWith("b1", { outcome: "", engagement: "not_opened", search: "" }, 51, 0);
    await userEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    expect(fetchRecipients).toHaveBeenLastCalledWith("b1", { outcome: "", engagement: "not_opened", search: "" }, 10_000, 0);
    const csv = vi.mocked(download).mock.calls[0]?.[0] ?? "";
    expect(csv.split("\r\n")[0]).toBe(
      "\uFEFFcontact_name,to_address,channel,variant,outcome,opted_out,skip_reason,error_code,sent_at,delivered_at,opened_at,clicked_at",
    );
    expect(csv).toContain("Ana,ana@example.com,email,B,delivered,false,,,2026-12-01T18:00:00Z,2026-12-01T18:00:05Z,2026-12-01T18:10:00Z,2026-12-01T18:11:00Z");
  });

  it("an SMS-only blast shows no email columns and no email filter", async () => {
    vi.mocked(fetchResults).mockResolvedValue([variant("sms", "A", 10, null, null)]);
    renderResults();
    const byVariant = await screen.findByRole("table", { name: "Results per variant" });
    expect(within(byVariant).queryByRole("columnheader", { name: "Opened" })).toBeNull();
    await screen.findByRole("table", { name: "Recipients" });
    expect(screen.queryByLabelText("Email activity")).toBeNull();
  });
});
