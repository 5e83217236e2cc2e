import { render, screen } from "@solidjs/testing-library";
import { QueryClient, QueryClientProvider } from "@tanstack/solid-query";
import userEvent from "@testing-library/user-event";
import { createSignal } from "solid-js";
import { SegmentRules } from "./SegmentBuilder";
import { toSegmentDefinition, type Rule } from "./segmentRules";
import { SENT_BLASTS_KEY, type SentBlast } from "./segmentsApi";

// No module mocks (component test files share one module graph, see vitest.setup.ts): the
// queries' answers are seeded and never stale, so nothing goes to the network. The rules, the
// pickers and what they compile to run as in the browser; who matches is pgTAP 980's and
// tests/web's.
const SENT: SentBlast[] = [
  { id: "b-news", name: "Spring news", channel: "email", started_at: "2026-11-20T15:00:00Z" },
  { id: "b-reminder", name: "Thursday reminder", channel: "sms", started_at: "2026-11-18T15:00:00Z" },
  { id: "b-both", name: "Demo day", channel: "both", started_at: "2026-11-10T15:00:00Z" },
];

function renderRules(initial: Rule[] = []) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(SENT_BLASTS_KEY, SENT);
  client.setQueryData(["rpc", "contact_tag_counts"], []);
  client.setQueryData(["events", "for-filter"], []);
  const [rules, setRules] = createSignal<Rule[]>(initial);
  render(() => (
    <QueryClientProvider client={client}>
      <SegmentRules rules={rules()} onChange={setRules} />
    </QueryClientProvider>
  ));
  return rules;
}

describe("SegmentRules: messaging activity", () => {
  it("picks received blasts by name among every blast that sent something", async () => {
    const rules = renderRules();
    await userEvent.selectOptions(screen.getByLabelText("Add a rule"), "Received one of these blasts");
    await userEvent.click(await screen.findByRole("checkbox", { name: /Spring news/ }));
    await userEvent.click(screen.getByRole("checkbox", { name: /Thursday reminder/ }));
    expect(toSegmentDefinition(rules())).toEqual({ received_blasts: ["b-news", "b-reminder"] });
  });

  it("offers only email blasts for opens and clicks, and says why", async () => {
    const rules = renderRules();
    await userEvent.selectOptions(screen.getByLabelText("Add a rule"), "Clicked a link in an email of one of these blasts");
    const group = screen.getByRole("group", { name: "Blasts" });
    expect(group).toHaveAccessibleDescription("Only email blasts are listed: text messages report no opens or clicks.");
    expect(await screen.findByRole("checkbox", { name: /Demo day/ })).toBeInTheDocument();
    expect(screen.queryByRole("checkbox", { name: /Thursday reminder/ })).toBeNull();
    await userEvent.click(screen.getByRole("checkbox", { name: /Spring news/ }));
    expect(toSegmentDefinition(rules())).toEqual({ clicked_blasts: ["b-news"] });
  });

  it("ties a bad number of days to its field and leaves the rule out until fixed", async () => {
    const rules = renderRules([{ kind: "replied_within_days", count: 30 }]);
    const days = screen.getByLabelText("Number of days");
    expect(toSegmentDefinition(rules())).toEqual({ replied_within_days: 30 });
    await userEvent.clear(days);
    await userEvent.type(days, "0");
    expect(days).toHaveAttribute("aria-invalid", "true");
    expect(days).toHaveAccessibleDescription("Enter a whole number of days from 1 to 36,500.");
    expect(toSegmentDefinition(rules())).toEqual({});
    await userEvent.type(days, "7");
    expect(days).not.toHaveAttribute("aria-invalid");
    expect(toSegmentDefinition(rules())).toEqual({ replied_within_days: 7 });
  });

  it("sets the last check-in after a day", async () => {
    const rules = renderRules([{ kind: "last_checkin_after", day: "" }]);
    const day = screen.getByLabelText("Day");
    await userEvent.type(day, "2026-09-01");
    day.dispatchEvent(new Event("change", { bubbles: true }));
    expect(toSegmentDefinition(rules())).toEqual({ last_checkin_after: "2026-09-01" });
  });

  it("speaks Spanish", async () => {
    const { setLocale } = await import("../lib/i18n");
    setLocale("es");
    try {
      renderRules([{ kind: "opened_blasts", blasts: [] }]);
      expect(screen.getByRole("heading", { name: "Abrió un correo de uno de estos envíos" })).toBeInTheDocument();
      expect(screen.getByText("Solo se muestran envíos de correo: los mensajes de texto no informan de aperturas ni clics.")).toBeInTheDocument();
    } finally {
      setLocale("en");
    }
  });
});
