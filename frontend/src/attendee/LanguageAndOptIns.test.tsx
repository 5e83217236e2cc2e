import { render, screen } from "@solidjs/testing-library";
import userEvent from "@testing-library/user-event";
import { setLocale } from "../lib/i18n";
import { ConsentCheckbox } from "../ui/ConsentCheckbox";
import type { Disclosure } from "./api";
import { LanguageSelect, OptIns } from "./LanguageAndOptIns";

const disclosures: Disclosure[] = [
  { id: "s-en", channel: "sms", locale: "en", body: "Msg & data rates may apply. Reply STOP to stop." },
  { id: "s-es", channel: "sms", locale: "es", body: "Pueden aplicarse tarifas. Responde PARAR para dejar de recibir." },
  { id: "e-es", channel: "email", locale: "es", body: "Un correo al mes como mucho." },
];

describe("the shared language and opt-in fields", () => {
  afterEach(() => {
    setLocale("en");
  });

  it("shows a box only where a disclosure is published in the language on screen, with its text", async () => {
    const changed = vi.fn<(checked: boolean) => void>();
    render(() => (
      <OptIns disclosures={disclosures}>
        {(_channel, text) => (
          <ConsentCheckbox label={text.label} disclosure={text.disclosure}
            onChange={(event) => { changed(event.currentTarget.checked); }} />
        )}
      </OptIns>
    ));
    const group = screen.getByRole("group", { name: "Stay in touch (optional)" });
    expect(group).toBeInTheDocument();
    const sms = screen.getByRole("checkbox", { name: "Text me about events and news" });
    expect(sms).not.toBeChecked();
    expect(sms).toHaveAccessibleDescription("Msg & data rates may apply. Reply STOP to stop.");
    expect(screen.queryByRole("checkbox", { name: "Email me about events and news" })).toBeNull();
    await userEvent.click(sms);
    expect(changed).toHaveBeenCalledWith(true);

    setLocale("es");
    expect(await screen.findByRole("checkbox", { name: "Envíenme correos sobre eventos y noticias" })).toHaveAccessibleDescription(
      "Un correo al mes como mucho.",
    );
    expect(screen.getByRole("checkbox", { name: "Envíenme mensajes de texto sobre eventos y noticias" })).toHaveAccessibleDescription(
      "Pueden aplicarse tarifas. Responde PARAR para dejar de recibir.",
    );
  });

  it("names the language choice by its label and offers both languages in their own words", () => {
    render(() => <LanguageSelect label="Preferred language" value="es" />);
    const select = screen.getByRole("combobox", { name: "Preferred language" });
    expect(select).toHaveValue("es");
    expect(screen.getByRole("option", { name: "English" })).toHaveAttribute("lang", "en");
    expect(screen.getByRole("option", { name: "Español" })).toHaveAttribute("lang", "es");
  });
});
