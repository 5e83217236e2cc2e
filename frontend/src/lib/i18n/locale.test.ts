// @vitest-environment jsdom
import { initialLocale, locale, setLocale } from "./locale";

describe("locale", () => {
  it("prefers the saved choice, then the browser's languages, then English", () => {
    expect(initialLocale("es", ["en-US"])).toBe("es");
    expect(initialLocale(null, ["fr-FR", "es-MX"])).toBe("es");
    expect(initialLocale("de", ["de-DE"])).toBe("en");
  });

  it("keeps <html lang> in sync and remembers the choice", async () => {
    setLocale("es");
    await Promise.resolve();
    expect(locale()).toBe("es");
    expect(document.documentElement.lang).toBe("es");
    expect(localStorage.getItem("hm-locale")).toBe("es");
    setLocale("en");
    await Promise.resolve();
    expect(document.documentElement.lang).toBe("en");
  });
});
