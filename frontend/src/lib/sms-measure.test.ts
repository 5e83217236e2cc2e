import { describe, expect, it } from "vitest";
import { measureSms, replaceUcs2Characters, splitByEncoding, ucs2Culprits } from "./sms-measure";

// [text, encoding, units, segments] as the database's private.sms_measure answered them
// (PostgreSQL 15, en_US.UTF-8 and C.UTF-8 clusters alike). Regenerate from SQL if the rules move.
const SQL_CORPUS: [string, "gsm7" | "ucs2", number, number][] = [
  ["", "gsm7", 0, 0],
  ["Hola", "gsm7", 4, 1],
  ["Hi {{first_name}}, see you tonight at 7pm!", "gsm7", 46, 1],
  ["¡Hola! ¿Vienes mañana? Está en el café de Niño.", "ucs2", 47, 1],
  ["Información: la reunión será el miércoles.", "ucs2", 42, 1],
  ["Über Ärger: ñandú", "ucs2", 17, 1],
  ["é ñ Ñ ¿ ¡ ü à", "gsm7", 13, 1],
  ["á", "ucs2", 1, 1],
  ["í ó ú", "ucs2", 5, 1],
  ["Price: 5€ [promo] {code} ~ ^ | \\", "gsm7", 41, 1],
  ["Party tonight 🎉", "ucs2", 16, 1],
  ["👩‍👩‍👧 family", "ucs2", 15, 1],
  ["“Curly quotes” and ‘single’", "ucs2", 27, 1],
  ["Dash — and ellipsis…", "ucs2", 20, 1],
  ["Line one\nLine two\r\nLine three", "gsm7", 29, 1],
  ["Ç ç", "ucs2", 3, 1],
  ["ΔΦΓΛΩΠΨΣΘΞ", "gsm7", 10, 1],
  ["A".repeat(160), "gsm7", 160, 1],
  ["A".repeat(161), "gsm7", 161, 2],
  ["€".repeat(84), "gsm7", 168, 2],
  ["á".repeat(70), "ucs2", 70, 1],
  ["á".repeat(71), "ucs2", 71, 2],
  ["🎉".repeat(35), "ucs2", 70, 1],
  ["🎉".repeat(36), "ucs2", 72, 2],
  ["Gracias por venir a Hello Miami. Responde STOP para cancelar. Te esperamos el próximo mes en el evento de tecnología en Wynwood, ¡no faltes! Más información en nuestra web: hellomiami.org/eventos", "ucs2", 195, 3],
  ["A".repeat(306), "gsm7", 306, 2],
  ["A".repeat(307), "gsm7", 307, 3],
  ["Hola, {{first_name | amigo}}: ¿vienes? Escribe a [email protected] 😀", "ucs2", 69, 1],
];

describe("measureSms agrees with the SQL", () => {
  it.each(SQL_CORPUS)("%j", (text, encoding, units, segments) => {
    const measure = measureSms(text);
    expect([measure.encoding, measure.units, measure.segments]).toEqual([encoding, units, segments]);
  });
});

describe("Spanish and UCS-2 culprits", () => {
  it("á í ó ú force UCS-2; é ñ ¿ ¡ do not", () => {
    expect(measureSms("é ñ ¿ ¡").encoding).toBe("gsm7");
    expect(ucs2Culprits("¿Qué día? Más información").map((c) => c.character)).toEqual(["í", "á", "ó"]);
  });

  it("gives the index of every culprit, counting emoji as two code units", () => {
    expect(ucs2Culprits("🎉 sí")).toEqual([
      { character: "🎉", index: 0, replacement: null },
      { character: "í", index: 4, replacement: "i" },
    ]);
  });

  it("replaces what has a GSM-7 look-alike and keeps emoji", () => {
    const replaced = replaceUcs2Characters("“Información” — sí… 🎉");
    expect(replaced).toBe('"Informacion" - si... 🎉');
    expect(measureSms(replaceUcs2Characters("“Información” — sí…")).encoding).toBe("gsm7");
  });

  it("counts characters as people do", () => {
    expect(measureSms("🎉 ok").characters).toBe(4);
  });

  it("splits text into highlighted runs", () => {
    expect(splitByEncoding("Hola ¿qué tal? Sí")).toEqual([
      { text: "Hola ¿qué tal? S", ucs2: false },
      { text: "í", ucs2: true },
    ]);
  });
});
