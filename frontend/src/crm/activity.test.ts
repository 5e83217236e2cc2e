// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { setLocale } from "../lib/i18n";
import { describeActivity } from "./activity";

describe("describeActivity", () => {
  it("says what happened with messages, including the campaign", () => {
    setLocale("en");
    expect(
      describeActivity({
        kind: "message",
        detail: { direction: "outbound", channel: "sms", status: "delivered", body: "Hi Ada", blast_name: "November" },
      }),
    ).toEqual({ title: "Text sent: “Hi Ada” — delivered", body: null, note: "From the campaign “November”" });
  });

  it("says whether an email was opened or a link in it clicked", () => {
    setLocale("en");
    const email = { direction: "outbound", channel: "email", status: "delivered", subject: "November" };
    expect(describeActivity({ kind: "message", detail: { ...email, opened_at: "2026-11-20T10:00:00Z", clicked_at: null } }).title).toBe(
      "Email sent: November — delivered · opened",
    );
    expect(
      describeActivity({ kind: "message", detail: { ...email, opened_at: "2026-11-20T10:00:00Z", clicked_at: "2026-11-20T10:05:00Z" } })
        .title,
    ).toBe("Email sent: November — delivered · link clicked");
    expect(describeActivity({ kind: "message", detail: { ...email, opened_at: null, clicked_at: null } }).title).toBe(
      "Email sent: November — delivered",
    );
    setLocale("es");
    expect(describeActivity({ kind: "message", detail: { ...email, opened_at: "2026-11-20T10:00:00Z" } }).title).toBe(
      "Correo enviado: November — delivered · abierto",
    );
    setLocale("en");
  });

  it("speaks the reader's language", () => {
    setLocale("es");
    expect(describeActivity({ kind: "consent", detail: { channel: "sms", status: "opted_out", source: "sms_stop" } }).title).toBe(
      "Mensajes de texto: Se dio de baja (sms_stop)",
    );
    expect(describeActivity({ kind: "interaction", detail: { kind: "call", body: "Llamó" } })).toEqual({
      title: "Llamada",
      body: "Llamó",
      note: null,
    });
    setLocale("en");
  });

  it("names a merged duplicate and a creation without a source", () => {
    setLocale("en");
    expect(describeActivity({ kind: "merge", detail: { first_name: "Ada", last_name: null } }).title).toBe(
      "Merged with the duplicate Ada",
    );
    expect(describeActivity({ kind: "created", detail: { source: null } }).title).toBe("Contact added (unknown source)");
  });
});
