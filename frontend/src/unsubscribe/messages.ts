import type { Messages } from "../lib/i18n";

const en = {
  title: "Your email and text preferences",
  greeting: "Hi {{ name }}, choose what you want to receive from us.",
  greetingNoName: "Choose what you want to receive from us.",
  emailLegend: "Emails to {{ address }}",
  emailLegendNoAddress: "Emails",
  emailYes: "Send me news and invitations by email",
  emailNo: "No more marketing emails",
  emailUnsubscribed: "You are unsubscribed from our marketing emails.",
  emailSubscribed: "You receive our marketing emails.",
  textsLegend: "Texts to {{ address }}",
  textsLegendNoAddress: "Texts",
  textsStop: "Stop all marketing texts",
  textsStopped: "You don't receive our marketing texts. To get them again, text START to our number from your phone.",
  textsReceiving: "You may receive our texts. You can also reply STOP to any of them.",
  save: "Save my choices",
  saving: "Saving…",
  saved: "Saved. Your choices apply from now on.",
  unchanged: "Nothing changed: these are already your choices.",
  receiptsNote: "Messages you ask for, like a check-in code, still reach you.",
  invalidTitle: "This link doesn't work",
  invalidBody: "It may have been copied incompletely. Use the unsubscribe link in one of our emails, or reply STOP to any text.",
  expiredTitle: "This link has expired",
  expiredBody: "Use the unsubscribe link in a more recent email from us, or reply STOP to any text.",
};

const es: typeof en = {
  title: "Tus preferencias de correo y mensajes de texto",
  greeting: "Hola, {{ name }}: elige lo que quieres recibir de nosotros.",
  greetingNoName: "Elige lo que quieres recibir de nosotros.",
  emailLegend: "Correos a {{ address }}",
  emailLegendNoAddress: "Correos",
  emailYes: "Envíenme noticias e invitaciones por correo",
  emailNo: "No quiero más correos promocionales",
  emailUnsubscribed: "Te diste de baja de nuestros correos promocionales.",
  emailSubscribed: "Recibes nuestros correos promocionales.",
  textsLegend: "Mensajes de texto a {{ address }}",
  textsLegendNoAddress: "Mensajes de texto",
  textsStop: "No quiero más mensajes de texto promocionales",
  textsStopped:
    "No recibes nuestros mensajes de texto promocionales. Para volver a recibirlos, envía START a nuestro número desde tu teléfono.",
  textsReceiving: "Puedes recibir nuestros mensajes de texto. También puedes responder STOP a cualquiera de ellos.",
  save: "Guardar mis preferencias",
  saving: "Guardando…",
  saved: "Guardado. Tus preferencias se aplican desde ahora.",
  unchanged: "No cambió nada: ya son tus preferencias.",
  receiptsNote: "Los mensajes que tú pides, como un código de registro, te siguen llegando.",
  invalidTitle: "Este enlace no funciona",
  invalidBody:
    "Puede que se haya copiado incompleto. Usa el enlace para darte de baja de uno de nuestros correos, o responde STOP a cualquier mensaje de texto.",
  expiredTitle: "Este enlace caducó",
  expiredBody:
    "Usa el enlace para darte de baja de un correo más reciente, o responde STOP a cualquier mensaje de texto.",
};

export const unsubscribeMessages: Messages<typeof en> = { en, es };
