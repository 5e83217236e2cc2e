import { render, screen } from "@solidjs/testing-library";
import userEvent from "@testing-library/user-event";
import CodeField from "./CodeField";

describe("CodeField", () => {
  it("offers the texted code to the phone and reports all six digits", async () => {
    const codes: string[] = [];
    render(() => <CodeField label="Code from the text" onComplete={(code) => codes.push(code)} />);
    const boxes = screen.getAllByRole("textbox");
    expect(boxes).toHaveLength(6);
    expect(boxes[0]).toHaveAttribute("autocomplete", "one-time-code");
    await userEvent.type(boxes[0] as HTMLElement, "123456");
    expect(codes).toEqual(["123456"]);
  });

  it("refuses letters", async () => {
    const codes: string[] = [];
    render(() => <CodeField label="Code" onComplete={(code) => codes.push(code)} />);
    const first = screen.getAllByRole("textbox")[0] as HTMLElement;
    await userEvent.type(first, "a");
    expect(first).toHaveValue("");
    expect(codes).toEqual([]);
  });
});
