import { AuthApiError } from "@supabase/supabase-js";
import { render, screen } from "@solidjs/testing-library";
import userEvent from "@testing-library/user-event";
import { requestCode } from "./api";
import { PhoneSignIn } from "./PhoneSignIn";

// Only the network edge is replaced: the component's own logic (validation, the 429 answer,
// the countdown) runs as it does in the browser. The real Auth is exercised in tests/web.
vi.mock("./api", () => ({ requestCode: vi.fn(), verifyCode: vi.fn() }));

describe("PhoneSignIn", () => {
  beforeEach(() => {
    vi.mocked(requestCode).mockReset();
  });

  it("says what is wrong with the number before texting anything", async () => {
    render(() => <PhoneSignIn />);
    await userEvent.click(screen.getByRole("button", { name: "Text me a code" }));
    expect(screen.getByText("Enter a mobile number like (305) 555-0123.")).toBeInTheDocument();
    expect(requestCode).not.toHaveBeenCalled();
  });

  it("answers a 429 kindly: the code already sent can be typed, and a countdown says when to ask again", async () => {
    vi.mocked(requestCode).mockRejectedValue(
      new AuthApiError("For security purposes, you can only request this after 42 seconds.", 429, "over_sms_send_rate_limit"),
    );
    render(() => <PhoneSignIn />);
    await import("../lib/phone");
    await userEvent.type(screen.getByLabelText("Your mobile number"), "3055550123");
    await userEvent.click(screen.getByRole("button", { name: "Text me a code" }));
    expect(requestCode).toHaveBeenCalledWith("+13055550123");
    expect(await screen.findByRole("heading", { name: "Enter the code" })).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("We just sent you a code. Please wait a moment before asking again.");
    expect(screen.getByText(/You can ask for a new code in \d+ s\./)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Text me a new code" })).not.toBeInTheDocument();
    expect(await screen.findAllByRole("textbox", {}, { timeout: 15_000 })).toHaveLength(6);
  });
});
