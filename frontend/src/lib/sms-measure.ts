/**
 * How an SMS is billed and paced: its encoding, length in encoding units and segments — the same
 * rules as the database's `private.sms_measure` (the snapshot and the claim count segments
 * there), so the counter under a text box shows what the send will cost. A vitest corpus pins the
 * two together.
 */

// GSM 03.38 basic character set (one septet each) and extension table (two septets: escape +
// character). Spanish á í ó ú are NOT in it; é ñ ¿ ¡ ü à are.
const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡" +
  "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION = "\f^{}\\[~]|€";

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

export type SmsEncoding = "gsm7" | "ucs2";

export interface SmsMeasure {
  encoding: SmsEncoding;
  /** Characters (code points, as the database's char_length counts them). */
  characters: number;
  /** GSM-7 septets (extension characters count 2) or UTF-16 code units (most emoji count 2). */
  units: number;
  segments: number;
}

export function isGsm7Character(character: string): boolean {
  return BASIC.has(character) || EXTENSION.has(character);
}

export function measureSms(text: string): SmsMeasure {
  // Code points, not graphemes: GSM-7 and the database's char_length count those.
  const characters = Array.from(text);
  if (characters.every(isGsm7Character)) {
    const units = characters.length + characters.filter((c) => EXTENSION.has(c)).length;
    const segments = units === 0 ? 0 : units <= 160 ? 1 : Math.ceil(units / 153);
    return { encoding: "gsm7", characters: characters.length, units, segments };
  }
  // UCS-2 on the wire is UTF-16: a JavaScript string's length is exactly its code units.
  const units = text.length;
  return { encoding: "ucs2", characters: characters.length, units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

/** GSM-7 look-alikes for characters that would switch a text to UCS-2 (curly quotes from phones
 * and word processors, Spanish accents outside the GSM set). Characters without one (emoji) are
 * only highlighted. */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  á: "a", í: "i", ó: "o", ú: "u", Á: "A", Í: "I", Ó: "O", Ú: "U", ê: "e", â: "a", ô: "o", ç: "c",
  "\u2018": "'", "\u2019": "'", "\u201A": "'", "\u201C": '"', "\u201D": '"', "\u201E": '"',
  "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u00A0": " ", "\u2022": "-", "\u00B4": "'", "\u0060": "'",
};

/** One character that forces UCS-2, where it is in the text (UTF-16 offset) and its look-alike. */
export interface Ucs2Culprit {
  character: string;
  index: number;
  replacement: string | null;
}

export function ucs2Culprits(text: string): Ucs2Culprit[] {
  const culprits: Ucs2Culprit[] = [];
  let index = 0;
  for (const character of text) {
    if (!isGsm7Character(character)) {
      culprits.push({ character, index, replacement: REPLACEMENTS[character] ?? null });
    }
    index += character.length;
  }
  return culprits;
}

/** The text with every replaceable culprit swapped for its GSM-7 look-alike. */
export function replaceUcs2Characters(text: string): string {
  return Array.from(text).map((c) => (isGsm7Character(c) ? c : (REPLACEMENTS[c] ?? c))).join("");
}

/** The text cut into runs, each marked whether it forces UCS-2 (for highlighting). */
export function splitByEncoding(text: string): { text: string; ucs2: boolean }[] {
  const runs: { text: string; ucs2: boolean }[] = [];
  for (const character of text) {
    const ucs2 = !isGsm7Character(character);
    const last = runs.at(-1);
    if (last && last.ucs2 === ucs2) last.text += character;
    else runs.push({ text: character, ucs2 });
  }
  return runs;
}
