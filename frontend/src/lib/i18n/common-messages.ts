import type { Messages } from "./translate";

const en = {
  appName: "Hello Miami",
  language: { label: "Language", en: "English", es: "Español" },
  notifications: "Notifications",
  close: "Close",
  loading: "Loading…",
  retry: "Try again",
  notFound: { title: "Page not found", body: "This address doesn't lead anywhere.", home: "Go to the start page" },
  crashed: { title: "Something went wrong", body: "This screen hit an error. You can try again." },
};

const es: typeof en = {
  appName: "Hello Miami",
  language: { label: "Idioma", en: "English", es: "Español" },
  notifications: "Notificaciones",
  close: "Cerrar",
  loading: "Cargando…",
  retry: "Intentar de nuevo",
  notFound: { title: "Página no encontrada", body: "Esta dirección no lleva a ninguna parte.", home: "Ir al inicio" },
  crashed: { title: "Algo salió mal", body: "Esta pantalla tuvo un error. Puedes intentarlo de nuevo." },
};

export const commonMessages: Messages<typeof en> = { en, es };
