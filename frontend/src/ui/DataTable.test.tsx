import { render, screen, within } from "@solidjs/testing-library";
import userEvent from "@testing-library/user-event";
import { DataTable, EmailText, emailWrapParts, type Column } from "./DataTable";

interface Person {
  name: string;
  visits: number;
}

const people: Person[] = [
  { name: "Ben", visits: 2 },
  { name: "Ana", visits: 10 },
  { name: "Cy", visits: 1 },
];

const columns: Column<Person>[] = [
  { header: "Name", cell: (row) => row.name, rowHeader: true, sortValue: (row) => row.name },
  { header: "Visits", cell: (row) => String(row.visits), sortValue: (row) => row.visits },
  { header: "Note", cell: () => "—" },
];

function firstCells(): string[] {
  const bodyRows = screen.getAllByRole("row").slice(1);
  return bodyRows.map((row) => within(row).getAllByRole("rowheader")[0]?.textContent ?? "");
}

describe("DataTable", () => {
  it("has a caption, column headers and row headers, in the given order", () => {
    render(() => <DataTable caption="People" captionHidden columns={columns} rows={people} />);
    expect(screen.getByRole("table", { name: "People" })).toBeInTheDocument();
    expect(screen.getAllByRole("columnheader").map((cell) => cell.getAttribute("scope"))).toEqual(["col", "col", "col"]);
    expect(firstCells()).toEqual(["Ben", "Ana", "Cy"]);
    expect(screen.getByRole("columnheader", { name: "Note" })).not.toHaveAttribute("aria-sort");
  });

  it("sorts by a sortable column and says so (aria-sort), numbers as numbers", async () => {
    render(() => <DataTable caption="People" columns={columns} rows={people} />);
    const visits = screen.getByRole("button", { name: /Visits/ });
    await userEvent.click(visits);
    expect(firstCells()).toEqual(["Cy", "Ben", "Ana"]);
    expect(screen.getByRole("columnheader", { name: /Visits/ })).toHaveAttribute("aria-sort", "ascending");
    await userEvent.click(visits);
    expect(firstCells()).toEqual(["Ana", "Ben", "Cy"]);
    expect(screen.getByRole("columnheader", { name: /Visits/ })).toHaveAttribute("aria-sort", "descending");
    expect(screen.getByRole("columnheader", { name: /Name/ })).toHaveAttribute("aria-sort", "none");
  });

  it("makes its scroll container a named, focusable region only when asked", () => {
    const { unmount } = render(() => <DataTable caption="People" columns={columns} rows={people} />);
    expect(screen.queryByRole("region")).toBeNull();
    unmount();
    render(() => <DataTable caption="People" regionLabel="People, scrolls sideways" columns={columns} rows={people} />);
    expect(screen.getByRole("region", { name: "People, scrolls sideways" })).toHaveAttribute("tabindex", "0");
  });
});

describe("EmailText", () => {
  it("wraps an address only before the @ and at the domain's dots", () => {
    expect(emailWrapParts("ana.lopez@mail.example.com")).toEqual(["ana.lopez", "@mail", ".example", ".com"]);
    expect(emailWrapParts("not-an-address")).toEqual(["not-an-address"]);
    expect(emailWrapParts("@odd")).toEqual(["@odd"]);
  });

  it("reads and copies as the whole address", () => {
    const { container } = render(() => <EmailText email="ana.lopez@mail.example.com" />);
    expect(container.textContent).toBe("ana.lopez@mail.example.com");
    expect(container.querySelectorAll("wbr")).toHaveLength(3);
  });
});
