import type { Messages } from "../lib/i18n";

// The poster itself is always bilingual; these are the controls around it.
const en = {
  paper: "Paper size",
  print: "Print poster",
  qrLabel: "QR code that opens {{ url }}",
};

const es: typeof en = {
  paper: "Tamaño del papel",
  print: "Imprimir cartel",
  qrLabel: "Código QR que abre {{ url }}",
};

export const posterMessages: Messages<typeof en> = { en, es };

/** The poster's own words, in both languages at once (a venue wall serves everyone). */
export const posterText = {
  en: { scan: "Scan to check in", steps: "Open your camera, point it at the code, and follow the link. No app needed." },
  es: {
    scan: "Escanea para registrarte",
    steps: "Abre la cámara, apúntala al código y sigue el enlace. No necesitas ninguna app.",
  },
};
