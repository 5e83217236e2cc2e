import type { Messages } from "../lib/i18n";

const en = {
  title: "Check in here",
  nextPerson: "All set! The next person can start in {{ seconds }} s.",
  startOver: "Start over",
  stillThere: {
    title: "Still there?",
    body: "We'll start over for the next person in {{ seconds }} s.",
    stay: "I'm still here",
  },
  exit: {
    open: "Staff exit",
    title: "Leave kiosk mode",
    pin: "Staff PIN",
    submit: "Unlock",
    cancel: "Cancel",
    wrong: "That PIN is wrong.",
  },
};

const es: typeof en = {
  title: "Regístrate aquí",
  nextPerson: "¡Listo! La siguiente persona puede empezar en {{ seconds }} s.",
  startOver: "Empezar de nuevo",
  stillThere: {
    title: "¿Sigues ahí?",
    body: "Empezaremos de nuevo para la siguiente persona en {{ seconds }} s.",
    stay: "Sigo aquí",
  },
  exit: {
    open: "Salida del equipo",
    title: "Salir del modo quiosco",
    pin: "PIN del equipo",
    submit: "Desbloquear",
    cancel: "Cancelar",
    wrong: "Ese PIN no es correcto.",
  },
};

export const kioskMessages: Messages<typeof en> = { en, es };
