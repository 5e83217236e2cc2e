import type { Messages } from "../lib/i18n";

const en = {
  title: "Two-factor sign-in",
  challenge: {
    intro: "Enter the 6-digit code your authenticator app shows for Hello Miami.",
    code: "6-digit code",
    codeInvalid: "Enter the 6 digits from your app.",
    submit: "Verify",
    submitting: "Checking…",
  },
  enrol: {
    intro: "Protect your account with a code from an authenticator app (such as Google Authenticator, Microsoft Authenticator or 1Password) each time you sign in.",
    requiredForAdmins: "Admins and owners need two-factor sign-in to use admin screens.",
    start: "Set up two-factor sign-in",
    starting: "Preparing…",
    scan: "Scan this QR code with your authenticator app, then enter the code it shows.",
    qrAlt: "QR code to scan with your authenticator app",
    manualKey: "Can't scan it? Enter this key in the app instead:",
    submit: "Turn on two-factor sign-in",
    done: "Two-factor sign-in is on.",
  },
  on: {
    status: "Two-factor sign-in is on for this account.",
    turnOff: "Turn off two-factor sign-in",
    turnedOff: "Two-factor sign-in is off.",
    continue: "Continue",
  },
};

const es: typeof en = {
  title: "Acceso en dos pasos",
  challenge: {
    intro: "Escribe el código de 6 dígitos que muestra tu aplicación de autenticación para Hello Miami.",
    code: "Código de 6 dígitos",
    codeInvalid: "Escribe los 6 dígitos de tu aplicación.",
    submit: "Verificar",
    submitting: "Comprobando…",
  },
  enrol: {
    intro: "Protege tu cuenta con un código de una aplicación de autenticación (como Google Authenticator, Microsoft Authenticator o 1Password) cada vez que entres.",
    requiredForAdmins: "Los administradores y propietarios necesitan el acceso en dos pasos para usar las pantallas de administración.",
    start: "Configurar el acceso en dos pasos",
    starting: "Preparando…",
    scan: "Escanea este código QR con tu aplicación de autenticación y escribe el código que muestra.",
    qrAlt: "Código QR para escanear con tu aplicación de autenticación",
    manualKey: "¿No puedes escanearlo? Escribe esta clave en la aplicación:",
    submit: "Activar el acceso en dos pasos",
    done: "El acceso en dos pasos está activado.",
  },
  on: {
    status: "El acceso en dos pasos está activado en esta cuenta.",
    turnOff: "Desactivar el acceso en dos pasos",
    turnedOff: "El acceso en dos pasos está desactivado.",
    continue: "Continuar",
  },
};

export const mfaMessages: Messages<typeof en> = { en, es };
