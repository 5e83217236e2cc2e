import { createTranslator, type Messages } from "../lib/i18n";

// The door team section of the event page (apart from messages.ts, which the events screens own).
const en = {
  title: "Door volunteers",
  intro: "Volunteers on this list can see this event's print jobs at the door. Organizers work every event already.",
  none: "No volunteers are assigned yet.",
  inactive: "{{ name }} (no longer active)",
  formerStaff: "A former staff member",
  remove: "Remove",
  removeLabel: "Remove {{ name }} from this event",
  removed: "{{ name }} no longer works this event.",
  pick: "Volunteer to add",
  add: "Add to this event",
  added: "{{ name }} now works this event.",
  noCandidates: "Every active volunteer is already on this event.",
};

const es: typeof en = {
  title: "Voluntarios de la entrada",
  intro: "Los voluntarios de esta lista ven los trabajos de impresión de este evento en la entrada. Los organizadores ya trabajan en todos los eventos.",
  none: "Todavía no hay voluntarios asignados.",
  inactive: "{{ name }} (ya no está activo)",
  formerStaff: "Una persona que ya no es del equipo",
  remove: "Quitar",
  removeLabel: "Quitar a {{ name }} de este evento",
  removed: "{{ name }} ya no trabaja en este evento.",
  pick: "Voluntario para añadir",
  add: "Añadir a este evento",
  added: "{{ name }} ahora trabaja en este evento.",
  noCandidates: "Todos los voluntarios activos ya están en este evento.",
};

export const volunteerMessages: Messages<typeof en> = { en, es };

export const tv = createTranslator(volunteerMessages);
