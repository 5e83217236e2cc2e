import { render, screen } from "@solidjs/testing-library";
import userEvent from "@testing-library/user-event";
import { PhoneField } from "./PhoneField";

describe("PhoneField", () => {
  it("formats as the person types and reports the E.164 number once it is valid", async () => {
    const numbers: (string | null)[] = [];
    render(() => <PhoneField label="Phone number" onNumber={(n) => numbers.push(n)} />);
    const input = screen.getByLabelText("Phone number");
    await import("../lib/phone");
    expect(input).toHaveAttribute("type", "tel");
    expect(input).toHaveAttribute("autocomplete", "tel");
    await userEvent.type(input, "3055550123");
    expect(input).toHaveValue("(305) 555-0123");
    expect(numbers.at(-1)).toBe("+13055550123");
    expect(numbers.slice(0, -1).every((n) => n === null)).toBe(true);
  });

  it("lets the person delete back through the area code", async () => {
    render(() => <PhoneField label="Phone number" onNumber={() => undefined} />);
    const input = screen.getByLabelText("Phone number");
    await import("../lib/phone");
    await userEvent.type(input, "3055{Backspace}{Backspace}{Backspace}");
    expect(input).toHaveValue("3");
  });

  it("ties its error to the input for screen readers", () => {
    render(() => <PhoneField label="Phone number" error="Not a number" onNumber={() => undefined} />);
    const input = screen.getByLabelText("Phone number");
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(input).toHaveAccessibleDescription("Not a number");
  });
});
