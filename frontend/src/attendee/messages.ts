import type { Messages } from "../lib/i18n";

const en = {
  home: {
    title: "Welcome to Hello Miami",
    body: "At an event? Scan the QR code at the entrance to check in with your phone.",
    me: "My profile and QR code",
    staff: "Staff sign-in",
  },
};

const es: typeof en = {
  home: {
    title: "Bienvenido a Hello Miami",
    body: "¿Estás en un evento? Escanea el código QR de la entrada para registrarte con tu teléfono.",
    me: "Mi perfil y código QR",
    staff: "Acceso del equipo",
  },
};

export const attendeeMessages: Messages<typeof en> = { en, es };
