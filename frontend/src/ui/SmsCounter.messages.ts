import type { Messages } from "../lib/i18n";

const en = {
  label: "Text message length",
  summary: "{{ encoding }} · {{ characters }} characters · {{ segments }} segments",
  summaryOne: "{{ encoding }} · {{ characters }} characters · 1 segment",
  cost: "about {{ cost }} per recipient",
  encoding: { gsm7: "GSM-7", ucs2: "UCS-2 (Unicode)" },
  perSegment: "{{ units }} of {{ limit }} units in this segment",
  ucs2Why: "These characters switch the whole text to UCS-2, so each segment holds 70 characters instead of 160:",
  highlighted: "The text, with those characters marked",
  replace: "Replace {{ count }} with plain letters",
  noReplacement: "(no plain equivalent)",
};

const es: typeof en = {
  label: "Longitud del mensaje de texto",
  summary: "{{ encoding }} · {{ characters }} caracteres · {{ segments }} segmentos",
  summaryOne: "{{ encoding }} · {{ characters }} caracteres · 1 segmento",
  cost: "unos {{ cost }} por destinatario",
  encoding: { gsm7: "GSM-7", ucs2: "UCS-2 (Unicode)" },
  perSegment: "{{ units }} de {{ limit }} unidades en este segmento",
  ucs2Why: "Estos caracteres pasan todo el texto a UCS-2, y cada segmento admite 70 caracteres en vez de 160:",
  highlighted: "El texto, con esos caracteres marcados",
  replace: "Reemplazar {{ count }} por letras simples",
  noReplacement: "(sin equivalente simple)",
};

export const smsCounterMessages: Messages<typeof en> = { en, es };
