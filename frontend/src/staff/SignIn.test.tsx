import { MemoryRouter, Route, createMemoryHistory } from "@solidjs/router";
import { render, screen } from "@solidjs/testing-library";
import userEvent from "@testing-library/user-event";
import { setLocale } from "../lib/i18n";
import SignIn, { safeNext } from "./SignIn";

function renderSignIn() {
  const history = createMemoryHistory();
  history.set({ value: "/sign-in" });
  render(() => (
    <MemoryRouter history={history}>
      <Route path="/sign-in" component={SignIn} />
    </MemoryRouter>
  ));
}

describe("staff sign-in form", () => {
  afterEach(() => {
    setLocale("en");
  });

  it("validates email and password before calling Auth", async () => {
    renderSignIn();
    await userEvent.type(await screen.findByLabelText("Email"), "not-an-email");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Enter an email address like name@example.com.")).toBeInTheDocument();
    expect(screen.getByText("Enter your password.")).toBeInTheDocument();
    expect(screen.getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");
  });

  it("shows the form and its errors in Spanish", async () => {
    setLocale("es");
    renderSignIn();
    await userEvent.click(await screen.findByRole("button", { name: "Entrar" }));
    expect(await screen.findByText("Escribe un correo como nombre@ejemplo.com.")).toBeInTheDocument();
    expect(screen.getByLabelText("Contraseña")).toBeInTheDocument();
  });

  it("only follows same-site paths after signing in", () => {
    expect(safeNext("/door/abc")).toBe("/door/abc");
    expect(safeNext("//evil.example")).toBe("/staff");
    expect(safeNext("https://evil.example")).toBe("/staff");
    expect(safeNext(undefined)).toBe("/staff");
  });
});
