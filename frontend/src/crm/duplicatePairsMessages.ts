import { createTranslator, type Messages } from "../lib/i18n";

const en = {
  title: "Possible duplicates",
  intro: "People who are probably listed twice: the same phone number, the same email inbox or the same full name. Open a pair to compare the two side by side and merge them.",
  loading: "Looking for duplicates…",
  none: "No likely duplicates. Nicely kept!",
  table: "Pairs of contacts that are probably one person",
  columns: { reason: "Why", older: "Older contact", newer: "Newer contact", action: "Merge" },
  reason: { phone: "Same phone", email: "Same email inbox", name: "Same name" },
  compare: "Compare and merge {{ older }} and {{ newer }}",
  more: "Show more pairs",
};
const es = {
  title: "Posibles duplicados",
  intro: "Personas que probablemente aparecen dos veces: el mismo teléfono, el mismo buzón de correo o el mismo nombre completo. Abre un par para comparar los dos lado a lado y combinarlos.",
  loading: "Buscando duplicados…",
  none: "No hay duplicados probables. ¡Todo en orden!",
  table: "Pares de contactos que probablemente son una misma persona",
  columns: { reason: "Motivo", older: "Contacto más antiguo", newer: "Contacto más reciente", action: "Combinar" },
  reason: { phone: "Mismo teléfono", email: "Mismo buzón de correo", name: "Mismo nombre" },
  compare: "Comparar y combinar a {{ older }} y {{ newer }}",
  more: "Mostrar más pares",
};

export const duplicatePairsMessages: Messages<typeof en> = { en, es };
export const td = createTranslator(duplicatePairsMessages);
