import { createTranslator, type Messages } from "../lib/i18n";

// The contact page's erase, attachments and merge strings (the list's stay in messages.ts).
const en = {
  erase: {
    title: "Delete this person's data",
    explain:
      "Erasing removes their name, phone, email, notes, files, profile and login for good. Check-ins stay, anonymous, for event counts.",
    start: "Erase this person…",
    confirm: "Yes, erase permanently",
    cancel: "Cancel",
    working: "Erasing…",
    requested: "They asked on {{ when }} for their data to be deleted; it is waiting to be carried out.",
    rowsErased: "Personal data erased. Deleting their files and login…",
    retrying: "Still deleting their files and login (attempt {{ attempts }}): {{ error }}",
    completed: "Erasure completed on {{ when }}: their files and login are deleted.",
  },
  attachments: {
    label: "Files",
    drop: "Drop files here or choose them",
    choose: "Choose files",
    uploading: "Uploading {{ name }}: {{ percent }}%",
    uploaded: "{{ name }} is ready",
    remove: "Remove {{ name }}",
    failed: "{{ name }} could not be uploaded.",
    tooBig: "{{ name }} is larger than 50 MB.",
    open: "Open {{ name }}",
    preview: "Preview of {{ name }}",
    hidePreview: "Close the preview",
  },
  duplicates: {
    title: "Possible duplicates",
    none: "No likely duplicates.",
    reason: { phone: "Same phone", email: "Same email", name: "Similar name" },
    compare: "Compare and merge with {{ name }}",
  },
  merge: {
    title: "Merge two contacts",
    explain:
      "Everything about the duplicate (check-ins, notes, messages, consent) moves to the contact you keep. Choose which value wins for each field.",
    field: "Field",
    keep: "Keep (this contact)",
    duplicate: "Duplicate",
    useKept: "{{ field }}: keep {{ value }}",
    useDuplicate: "{{ field }}: use {{ value }}",
    empty: "(empty)",
    result: "After the merge: {{ summary }}",
    submit: "Merge",
    merging: "Merging…",
    merged: "Merged. The duplicate now points to this contact.",
    back: "Back to the contact",
    fields: {
      first_name: "First name",
      last_name: "Last name",
      phone: "Phone",
      email: "Email",
      company: "Company",
      title: "Job title",
      pronouns: "Pronouns",
    },
  },
};

const es: typeof en = {
  erase: {
    title: "Borrar los datos de esta persona",
    explain:
      "Borrar elimina para siempre su nombre, teléfono, correo, notas, archivos, perfil y acceso. Las entradas se quedan, anónimas, para contar asistentes.",
    start: "Borrar a esta persona…",
    confirm: "Sí, borrar para siempre",
    cancel: "Cancelar",
    working: "Borrando…",
    requested: "Pidió el {{ when }} que se borren sus datos; la solicitud espera a ejecutarse.",
    rowsErased: "Datos personales borrados. Eliminando sus archivos y su acceso…",
    retrying: "Aún eliminando sus archivos y su acceso (intento {{ attempts }}): {{ error }}",
    completed: "Borrado completado el {{ when }}: sus archivos y su acceso ya no existen.",
  },
  attachments: {
    label: "Archivos",
    drop: "Suelta archivos aquí o elígelos",
    choose: "Elegir archivos",
    uploading: "Subiendo {{ name }}: {{ percent }} %",
    uploaded: "{{ name }} está listo",
    remove: "Quitar {{ name }}",
    failed: "No se pudo subir {{ name }}.",
    tooBig: "{{ name }} pesa más de 50 MB.",
    open: "Abrir {{ name }}",
    preview: "Vista previa de {{ name }}",
    hidePreview: "Cerrar la vista previa",
  },
  duplicates: {
    title: "Posibles duplicados",
    none: "No hay duplicados probables.",
    reason: { phone: "Mismo teléfono", email: "Mismo correo", name: "Nombre parecido" },
    compare: "Comparar y combinar con {{ name }}",
  },
  merge: {
    title: "Combinar dos contactos",
    explain:
      "Todo lo del duplicado (entradas, notas, mensajes, consentimiento) pasa al contacto que conservas. Elige qué valor gana en cada campo.",
    field: "Campo",
    keep: "Conservar (este contacto)",
    duplicate: "Duplicado",
    useKept: "{{ field }}: conservar {{ value }}",
    useDuplicate: "{{ field }}: usar {{ value }}",
    empty: "(vacío)",
    result: "Tras combinar: {{ summary }}",
    submit: "Combinar",
    merging: "Combinando…",
    merged: "Combinados. El duplicado ahora apunta a este contacto.",
    back: "Volver al contacto",
    fields: {
      first_name: "Nombre",
      last_name: "Apellido",
      phone: "Teléfono",
      email: "Correo",
      company: "Empresa",
      title: "Cargo",
      pronouns: "Pronombres",
    },
  },
};

export const contactMessages: Messages<typeof en> = { en, es };

/** The contact page's own translator (erase, attachments, duplicates and merge). */
export const tc = createTranslator(contactMessages);
