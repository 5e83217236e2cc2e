// @vitest-environment jsdom
import type { NavItem } from "../features";
import { isCurrentPage, navigationSections } from "./navigation";

const item = (href: string, minLevel: NavItem["minLevel"], group: NavItem["group"], order?: number): NavItem => ({
  href,
  label: { en: href, es: href },
  minLevel,
  group,
  order,
});

// Feature order (folders sorted by name) deliberately mixes the groups.
const ITEMS = [
  item("/admin/staff", "admin", "admin"),
  item("/admin/dashboard", "organizer", "overview"),
  item("/automations", "organizer", "messaging"),
  item("/blasts", "organizer", "messaging"),
  item("/crm/contacts", "organizer", "people"),
  item("/inbox", "organizer", "messaging", 1),
  item("/staff", "volunteer", "door"),
];

const hrefs = (level: Parameters<typeof navigationSections>[1]) =>
  navigationSections(ITEMS, level).map((section) => [section.group, section.items.map((entry) => entry.href)]);

describe("staff navigation groups", () => {
  it("orders the groups Overview, Door, People, Messaging, Admin; inside each, by order and then feature order", () => {
    expect(hrefs("owner")).toEqual([
      ["overview", ["/admin/dashboard"]],
      ["door", ["/staff"]],
      ["people", ["/crm/contacts"]],
      ["messaging", ["/inbox", "/automations", "/blasts"]],
      ["admin", ["/admin/staff"]],
    ]);
  });

  it("shows only the links a level reaches and leaves out groups left empty", () => {
    expect(hrefs("volunteer")).toEqual([["door", ["/staff"]]]);
    expect(hrefs("organizer")).toEqual([
      ["overview", ["/admin/dashboard"]],
      ["door", ["/staff"]],
      ["people", ["/crm/contacts"]],
      ["messaging", ["/inbox", "/automations", "/blasts"]],
    ]);
  });

  it("shows nothing to someone who is not staff or not signed in", () => {
    expect(hrefs(null)).toEqual([]);
    expect(hrefs(undefined)).toEqual([]);
  });
});

describe("current page", () => {
  it("matches the page itself and the pages beneath it, segment by segment", () => {
    expect(isCurrentPage("/crm/contacts", "/crm/contacts")).toBe(true);
    expect(isCurrentPage("/crm/contacts/", "/crm/contacts")).toBe(true);
    expect(isCurrentPage("/crm/contacts/42", "/crm/contacts")).toBe(true);
    expect(isCurrentPage("/crm/contacts-old", "/crm/contacts")).toBe(false);
    expect(isCurrentPage("/admin/staff", "/staff")).toBe(false);
    expect(isCurrentPage("/", "/staff")).toBe(false);
  });
});
