import { render, screen } from "@solidjs/testing-library";
import { AppError } from "../lib/errors";
import { setLocale, tCommon } from "../lib/i18n";
import { Notifications, notifyError, notifySuccess, toaster } from "./notifications";

describe("Notifications", () => {
  // The toaster is the app's one store, shared with the other component tests in this window.
  beforeEach(() => {
    toaster.remove();
  });
  afterEach(() => {
    setLocale("en");
  });

  it("re-reads a toast on screen in the language the person switches to", async () => {
    render(() => <Notifications />);
    notifySuccess(() => tCommon("close"));
    notifyError(new AppError("network"));
    expect(await screen.findByText("Close")).toBeInTheDocument();
    expect(await screen.findByText("No connection. Check your internet and try again.")).toBeInTheDocument();
    setLocale("es");
    expect(await screen.findByText("Cerrar")).toBeInTheDocument();
    expect(screen.queryByText("Close")).not.toBeInTheDocument();
    expect(screen.getByText("Sin conexión. Revisa tu internet e inténtalo de nuevo.")).toBeInTheDocument();
  });
});
