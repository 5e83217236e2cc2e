import type { Messages } from "../lib/i18n";

const en = {
  rsvp: {
    title: "RSVP: {{ name }}",
    intro: "Tell us you're coming. Before the event we send you your personal QR pass for the door.",
    firstName: "First name",
    lastName: "Last name (optional)",
    phone: "Mobile phone",
    phoneHint: "We text your pass here. Give a phone, an email, or both.",
    email: "Email",
    language: "Language for our messages",
    submit: "RSVP",
    submitting: "Sending…",
    done: "You're on the list for {{ name }}. Your personal QR pass arrives by text or email before the event.",
    checkIn: "At the event, check in here",
  },
  pass: {
    title: "Your pass",
    qrLabel: "Your personal QR code for check-in",
    show: "Show this code at the door: a volunteer scans it and checks you in.",
  },
};

const es: typeof en = {
  rsvp: {
    title: "Confirmar asistencia: {{ name }}",
    intro: "Dinos que vienes. Antes del evento te enviamos tu pase QR personal para la entrada.",
    firstName: "Nombre",
    lastName: "Apellido (opcional)",
    phone: "Teléfono móvil",
    phoneHint: "Te enviamos el pase aquí por SMS. Indica un teléfono, un correo o ambos.",
    email: "Correo electrónico",
    language: "Idioma de nuestros mensajes",
    submit: "Confirmar",
    submitting: "Enviando…",
    done: "Estás en la lista de {{ name }}. Tu pase QR personal llega por SMS o correo antes del evento.",
    checkIn: "En el evento, regístrate aquí",
  },
  pass: {
    title: "Tu pase",
    qrLabel: "Tu código QR personal para registrarte",
    show: "Muestra este código en la entrada: un voluntario lo escanea y te registra.",
  },
};

export const rsvpMessages: Messages<typeof en> = { en, es };
