import type { Messages } from "../lib/i18n";

const en = {
  add: {
    title: "Add a sender",
    kind: "Kind",
    kinds: {
      twilio_number: "Twilio phone number",
      twilio_service: "Twilio Messaging Service",
      mailersend: "MailerSend email identity",
    },
    name: "Name",
    nameHint: "How staff will recognise it, for example Main line.",
    address: {
      twilio_number: "Phone number",
      twilio_service: "Messaging Service SID",
      mailersend: "From address",
    },
    addressHint: {
      twilio_number: "With the country code, for example +13055550100.",
      twilio_service: "MG followed by 32 letters and digits, from the Twilio console.",
      mailersend: "A verified sender identity in MailerSend, for example team@hellomiami.org.",
    },
    fromName: "From name (optional)",
    replyTo: "Reply-to address (optional)",
    mps: "Messages per second",
    mpsHint: "Leave empty for 1. In SMS segments: about 1 for a 10DLC number, 3 toll-free.",
    dailyCap: "Daily cap (optional)",
    submit: "Add sender",
    submitting: "Adding…",
    added: "{{ name }} added.",
  },
  webhooks: {
    title: "Webhook URLs",
    intro: "Paste these into Twilio and MailerSend so replies, delivery reports and opt-outs reach Hello Miami.",
    twilioInbound: "Twilio: \"A message comes in\" (the number or Messaging Service)",
    twilioStatus: "Twilio: status callback (Messaging Service; each text also asks for it)",
    mailersendEvents: "MailerSend: webhook endpoint (sent, delivered, bounced, unsubscribed)",
    copy: "Copy",
    copyLabel: "Copy the URL for {{ target }}",
    copied: "URL copied.",
    notConfigured: "The webhook address is not configured: set WEBHOOK_PUBLIC_URL where the app's /config.js is written (docs/deploy.md).",
  },
};

const es: typeof en = {
  add: {
    title: "Agregar un remitente",
    kind: "Tipo",
    kinds: {
      twilio_number: "Número de teléfono de Twilio",
      twilio_service: "Messaging Service de Twilio",
      mailersend: "Identidad de correo de MailerSend",
    },
    name: "Nombre",
    nameHint: "Cómo lo reconocerá el equipo, por ejemplo Línea principal.",
    address: {
      twilio_number: "Número de teléfono",
      twilio_service: "SID del Messaging Service",
      mailersend: "Dirección del remitente",
    },
    addressHint: {
      twilio_number: "Con el código de país, por ejemplo +13055550100.",
      twilio_service: "MG seguido de 32 letras y dígitos, de la consola de Twilio.",
      mailersend: "Una identidad verificada en MailerSend, por ejemplo team@hellomiami.org.",
    },
    fromName: "Nombre del remitente (opcional)",
    replyTo: "Dirección de respuesta (opcional)",
    mps: "Mensajes por segundo",
    mpsHint: "Déjelo vacío para 1. En segmentos SMS: cerca de 1 para un número 10DLC, 3 para uno gratuito.",
    dailyCap: "Límite diario (opcional)",
    submit: "Agregar remitente",
    submitting: "Agregando…",
    added: "{{ name }} agregado.",
  },
  webhooks: {
    title: "URL de webhooks",
    intro: "Péguelas en Twilio y MailerSend para que las respuestas, los informes de entrega y las bajas lleguen a Hello Miami.",
    twilioInbound: "Twilio: \"A message comes in\" (el número o el Messaging Service)",
    twilioStatus: "Twilio: status callback (Messaging Service; cada texto también lo pide)",
    mailersendEvents: "MailerSend: endpoint del webhook (enviado, entregado, rebotado, baja)",
    copy: "Copiar",
    copyLabel: "Copiar la URL de {{ target }}",
    copied: "URL copiada.",
    notConfigured: "La dirección de los webhooks no está configurada: defina WEBHOOK_PUBLIC_URL donde se escribe /config.js de la aplicación (docs/deploy.md).",
  },
};

export const senderSetupMessages: Messages<typeof en> = { en, es };
