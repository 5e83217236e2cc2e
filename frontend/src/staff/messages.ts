import type { Messages } from "../lib/i18n";

const en = {
  skipToContent: "Skip to content",
  mainNavigation: "Staff navigation",
  signIn: {
    title: "Staff sign-in",
    email: "Email",
    password: "Password",
    submit: "Sign in",
    submitting: "Signing in…",
    emailInvalid: "Enter an email address like name@example.com.",
    passwordRequired: "Enter your password.",
  },
  signOut: "Sign out",
  signedInAs: "Signed in as {{ email }}",
  level: { volunteer: "Volunteer", organizer: "Organizer", admin: "Admin", owner: "Owner" },
  home: {
    title: "Staff console",
    yourRole: "Your role: {{ level }}",
    nothingYet: "No tools for your role yet.",
    twoFactor: "Two-factor sign-in",
  },
  notStaff: { title: "Staff only", body: "This account isn't allowed to see this page." },
  nav: {
    groups: { overview: "Overview", door: "Door", people: "People", messaging: "Messaging", admin: "Admin" },
  },
};

const es: typeof en = {
  skipToContent: "Saltar al contenido",
  mainNavigation: "Navegación del equipo",
  signIn: {
    title: "Acceso del equipo",
    email: "Correo electrónico",
    password: "Contraseña",
    submit: "Entrar",
    submitting: "Entrando…",
    emailInvalid: "Escribe un correo como nombre@ejemplo.com.",
    passwordRequired: "Escribe tu contraseña.",
  },
  signOut: "Cerrar sesión",
  signedInAs: "Sesión de {{ email }}",
  level: { volunteer: "Voluntario", organizer: "Organizador", admin: "Administrador", owner: "Propietario" },
  home: {
    title: "Consola del equipo",
    yourRole: "Tu rol: {{ level }}",
    nothingYet: "Aún no hay herramientas para tu rol.",
    twoFactor: "Acceso en dos pasos",
  },
  notStaff: { title: "Solo para el equipo", body: "Esta cuenta no tiene permiso para ver esta página." },
  nav: {
    groups: { overview: "Resumen", door: "Puerta", people: "Personas", messaging: "Mensajes", admin: "Administración" },
  },
};

export const staffMessages: Messages<typeof en> = { en, es };
