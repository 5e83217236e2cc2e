import { render, screen } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import { AppError } from "../lib/errors";
import { DataBlock } from "./DataBlock";

describe("DataBlock", () => {
  it("says loading until the first answer, then shows the data and updates it in place", () => {
    const [data, setData] = createSignal<string[] | undefined>(undefined);
    render(() => (
      <DataBlock data={data()} isEmpty={(list) => list.length === 0} empty="Nobody yet.">
        {(list) => <p data-testid="list">{list().join(", ")}</p>}
      </DataBlock>
    ));
    expect(screen.getByRole("status")).toHaveTextContent("Loading");
    setData([]);
    expect(screen.getByText("Nobody yet.")).toBeInTheDocument();
    setData(["Ada"]);
    const list = screen.getByTestId("list");
    setData(["Ada", "Bea"]);
    expect(screen.getByTestId("list")).toBe(list);
    expect(list).toHaveTextContent("Ada, Bea");
  });

  it("shows a failed refresh above the data it still has, and no loading line without data", () => {
    const [data, setData] = createSignal<string[] | undefined>(["Ada"]);
    render(() => (
      <DataBlock data={data()} error={new AppError("network")}>
        {(list) => <p>{list().join(", ")}</p>}
      </DataBlock>
    ));
    expect(screen.getByRole("alert")).not.toBeEmptyDOMElement();
    expect(screen.getByText("Ada")).toBeInTheDocument();
    setData(undefined);
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("says what the wait is for when told", () => {
    render(() => (
      <DataBlock data={undefined} loading="Looking for duplicates…">
        {() => <p>never</p>}
      </DataBlock>
    ));
    expect(screen.getByRole("status")).toHaveTextContent("Looking for duplicates…");
  });
});
