import { render, screen } from "@solidjs/testing-library";
import userEvent from "@testing-library/user-event";
import { SmsCounter } from "./SmsCounter";

describe("SmsCounter", () => {
  it("counts a GSM-7 Spanish text as one cheap segment", () => {
    render(() => <SmsCounter text="¿Vienes mañana? Te esperamos en el café" costPerSegment={0.0079} />);
    expect(screen.getByText(/GSM-7 · 39 characters · 1 segment/)).toBeInTheDocument();
    expect(screen.getByText(/\$0\.0079/)).toBeInTheDocument();
    expect(screen.queryByTestId("ucs2-characters")).toBeNull();
  });

  it("marks the characters forcing UCS-2 and replaces them on request", async () => {
    const replaced: string[] = [];
    render(() => <SmsCounter text="Más información 🎉" onReplace={(text) => replaced.push(text)} />);
    expect(screen.getByText(/UCS-2 \(Unicode\) · 17 characters · 1 segment/)).toBeInTheDocument();
    const culprits = screen.getByTestId("ucs2-characters");
    expect(culprits.textContent).toContain("á → a");
    expect(culprits.textContent).toContain("ó → o");
    expect(culprits.textContent).toContain("🎉");
    expect(document.querySelectorAll("mark")).toHaveLength(3);
    await userEvent.click(screen.getByRole("button", { name: "Replace 2 with plain letters" }));
    expect(replaced).toEqual(["Mas informacion 🎉"]);
  });
});
