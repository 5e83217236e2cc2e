import { render, screen } from "@solidjs/testing-library";
import { QueryClient, QueryClientProvider } from "@tanstack/solid-query";
import userEvent from "@testing-library/user-event";
import { countSegment, createBlast, createBlastToFilter } from "./api";
import { Composer } from "./BlastComposer";

// Only the network edge is replaced: the composer's own logic (live count, variants and their
// shares, the spec it sends) runs as in the browser. The real SQL is exercised in tests/web.
vi.mock("./api", () => ({
  blastKeys: {
    all: () => ["blasts"],
    segmentCount: (id: string) => ["count", id],
    filterCount: (definition: unknown) => ["count", definition],
  },
  countSegment: vi.fn(),
  createBlast: vi.fn(),
  createBlastToFilter: vi.fn(),
}));
// The filter's rule fields offer the tags and events in use.
vi.mock("../crm/api", () => ({ fetchTagCounts: vi.fn(() => Promise.resolve([])), fetchEventsForFilter: vi.fn(() => Promise.resolve([])) }));
vi.mock("@solidjs/router", () => ({ useNavigate: () => vi.fn() }));

const choices = {
  segments: [{ id: "seg-1", name: "Regulars", definition: { tags_any: ["regular"] } }],
  templates: [
    { id: "tpl-a", name: "Thursday", channel: "sms" as const },
    { id: "tpl-b", name: "Jueves", channel: "sms" as const },
    { id: "tpl-m", name: "Newsletter", channel: "email" as const },
    { id: "tpl-n", name: "Newsletter, short", channel: "email" as const },
  ],
  senders: [{ id: "snd-1", name: "Main number", channel: "sms" as const }],
};

function renderComposer() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(() => (
    <QueryClientProvider client={client}>
      <Composer choices={choices} orgTimeZone="America/New_York" />
    </QueryClientProvider>
  ));
}

describe("Composer", () => {
  beforeEach(() => {
    vi.mocked(countSegment).mockReset().mockResolvedValue(100_000);
    vi.mocked(createBlast).mockReset();
  });

  it("counts the chosen segment live and sends an A/B spec scheduled in the org's zone", async () => {
    vi.mocked(createBlast).mockResolvedValue({ id: "b1", name: "Spring", status: "scheduled" } as never);
    renderComposer();
    await userEvent.type(screen.getByLabelText("Name"), "Spring");
    await userEvent.selectOptions(screen.getByLabelText("Audience (saved segment)"), "seg-1");
    expect(await screen.findByText("100,000 contacts match this segment now.")).toBeInTheDocument();
    expect(countSegment).toHaveBeenCalledWith({ tags_any: ["regular"] });
    await userEvent.selectOptions(screen.getByLabelText("Text sender"), "snd-1");
    await userEvent.selectOptions(screen.getByLabelText("Text template"), "tpl-a");
    // Email templates are not offered for texts.
    expect(screen.queryByRole("option", { name: "Newsletter" })).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Add a variant" }));
    await userEvent.selectOptions(screen.getByLabelText("Template of variant B"), "tpl-b");
    expect(screen.getByText("Shares add up to 100%.")).toBeInTheDocument();
    const shareA = screen.getByLabelText("Share of variant A (%)");
    await userEvent.clear(shareA);
    await userEvent.type(shareA, "70");
    expect(screen.getByText("Shares add up to 120%; they must add up to 100%.")).toBeInTheDocument();
    const shareB = screen.getByLabelText("Share of variant B (%)");
    await userEvent.clear(shareB);
    await userEvent.type(shareB, "30");
    const sendAt = screen.getByLabelText("Send at (optional, America/New_York time)");
    await userEvent.type(sendAt, "2030-12-01T18:00");
    await userEvent.click(screen.getByRole("button", { name: "Save and preview" }));
    expect(createBlast).toHaveBeenCalledWith({
      name: "Spring",
      channel: "sms",
      auto_pause: true,
      segment_id: "seg-1",
      sms_sender_id: "snd-1",
      variants: [
        { channel: "sms", label: "A", template_id: "tpl-a", weight: 70 },
        { channel: "sms", label: "B", template_id: "tpl-b", weight: 30 },
      ],
      scheduled_at: "2030-12-01T23:00:00.000Z",
    });
  });

  it("with two variants offers to send the winner to the rest, and sends its settings", async () => {
    vi.mocked(createBlast).mockResolvedValue({ id: "b2", name: "Test", status: "draft" } as never);
    renderComposer();
    expect(screen.queryByLabelText("Send the winner to the rest")).toBeNull();
    await userEvent.type(screen.getByLabelText("Name"), "Test");
    await userEvent.selectOptions(screen.getByLabelText("Text template"), "tpl-a");
    await userEvent.click(screen.getByRole("button", { name: "Add a variant" }));
    await userEvent.selectOptions(screen.getByLabelText("Template of variant B"), "tpl-b");
    await userEvent.click(screen.getByLabelText("Send the winner to the rest"));
    const share = screen.getByLabelText("Test share of each variant (%)");
    await userEvent.clear(share);
    await userEvent.type(share, "15");
    await userEvent.selectOptions(screen.getByLabelText("Choose the winner after"), "120");
    await userEvent.selectOptions(screen.getByLabelText("Winner by"), "delivery_rate");
    await userEvent.click(screen.getByRole("button", { name: "Save and preview" }));
    expect(createBlast).toHaveBeenCalledWith(
      expect.objectContaining({
        winner: { test_percent: 15, min_per_variant: 100, decide_after_minutes: 120, metric: "delivery_rate" },
      }),
    );
  });

  it("an email A/B test is judged by open or click rate; a both-ways test says the texts fall back to delivery rate", async () => {
    vi.mocked(createBlast).mockResolvedValue({ id: "b4", name: "Subjects", status: "draft" } as never);
    renderComposer();
    await userEvent.type(screen.getByLabelText("Name"), "Subjects");
    await userEvent.selectOptions(screen.getByLabelText("Channel"), "email");
    await userEvent.selectOptions(screen.getByLabelText("Email template"), "tpl-m");
    await userEvent.click(screen.getByRole("button", { name: "Add an email variant" }));
    await userEvent.selectOptions(screen.getByLabelText("Template of email variant B"), "tpl-n");
    expect(screen.queryByLabelText("Email template")).toBeNull();
    await userEvent.click(screen.getByLabelText("Send the winner to the rest"));
    const metrics = () => [...screen.getByLabelText<HTMLSelectElement>("Winner by").options].map((o) => o.value);
    // Emails get no replies: reply rate is not offered for an email-only test.
    expect(metrics()).toEqual(["open_rate", "click_rate", "delivery_rate"]);
    await userEvent.selectOptions(screen.getByLabelText("Winner by"), "click_rate");
    await userEvent.selectOptions(screen.getByLabelText("Channel"), "both");
    await userEvent.selectOptions(screen.getByLabelText("Text template"), "tpl-a");
    await userEvent.click(screen.getByRole("button", { name: "Add a variant" }));
    await userEvent.selectOptions(screen.getByLabelText("Template of variant B"), "tpl-b");
    expect(metrics()).toEqual(["reply_rate", "open_rate", "click_rate", "delivery_rate"]);
    expect(screen.getByText("Texts report no opens or clicks: the text winner is chosen by delivery rate.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Save and preview" }));
    expect(createBlast).toHaveBeenCalledWith(
      expect.objectContaining({
        channel: "both",
        variants: [
          { channel: "sms", label: "A", template_id: "tpl-a", weight: 50 },
          { channel: "sms", label: "B", template_id: "tpl-b", weight: 50 },
          { channel: "email", label: "A", template_id: "tpl-m", weight: 50 },
          { channel: "email", label: "B", template_id: "tpl-n", weight: 50 },
        ],
        winner: { test_percent: 20, min_per_variant: 100, decide_after_minutes: 240, metric: "click_rate" },
      }),
    );
  });

  it("sends to an unsaved filter: counted live, then the filter and the blast in one call", async () => {
    vi.mocked(countSegment).mockImplementation((definition) => Promise.resolve(JSON.stringify(definition) === "{}" ? 1200 : 340));
    vi.mocked(createBlast).mockReset();
    vi.mocked(createBlastToFilter).mockReset().mockResolvedValue({ id: "b3", name: "Ad hoc", status: "draft" } as never);
    renderComposer();
    await userEvent.type(screen.getByLabelText("Name"), "Ad hoc");
    await userEvent.click(screen.getByLabelText("A filter (not saved as a segment)"));
    expect(screen.queryByLabelText("Audience (saved segment)")).toBeNull();
    expect(await screen.findByText("1,200 contacts match this filter now.")).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText("Add a rule"), "min_checkins");
    expect(await screen.findByText("340 contacts match this filter now.")).toBeInTheDocument();
    expect(countSegment).toHaveBeenLastCalledWith({ min_checkins: 1 });
    await userEvent.selectOptions(screen.getByLabelText("Text template"), "tpl-a");
    await userEvent.click(screen.getByRole("button", { name: "Save and preview" }));
    expect(createBlastToFilter).toHaveBeenCalledWith(
      { min_checkins: 1 },
      expect.not.objectContaining({ segment_id: expect.anything() as unknown }),
    );
    expect(vi.mocked(createBlastToFilter).mock.calls[0]?.[1]).toMatchObject({ sms_template_id: "tpl-a" });
    expect(createBlast).not.toHaveBeenCalled();
  });

  it("going back to one template drops the variants", async () => {
    renderComposer();
    await userEvent.click(screen.getByRole("button", { name: "Add a variant" }));
    await userEvent.click(screen.getByRole("button", { name: "Remove variant B" }));
    expect(screen.queryByLabelText("Template of variant A")).toBeNull();
    expect(screen.getByLabelText("Text template")).toBeInTheDocument();
  });
});
