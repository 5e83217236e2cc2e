import { REFUSAL_CODES } from "../lib/errors";
import { createTranslator, tError, type Messages } from "../lib/i18n";

// Row reasons about duplicates inside one file: the server writes "code: detail" with the row
// number in the detail; the row number is the one thing the reader needs from it.
const en = {
  same_person_in_file: "Same person as row {{ row }}: merged into one contact.",
  conflict_in_file: "Shares a phone or email with row {{ row }}, but the other one differs. Correct one of the two rows.",
};
const es = {
  same_person_in_file: "Es la misma persona que la fila {{ row }}: se unieron en un solo contacto.",
  conflict_in_file: "Comparte teléfono o correo con la fila {{ row }}, pero el otro dato es distinto. Corrige una de las dos filas.",
};
const tr = createTranslator({ en, es } satisfies Messages<typeof en>);

const IN_FILE = /^(same_person_in_file|conflict_in_file): \D*(\d+)/;

/** A per-row import reason in the reader's language: in-file duplicates with their row, a known
 * refusal code as its friendly sentence, anything else (e.g. "No changes.") as the server wrote it. */
export function importReasonText(reason: string | null): string {
  const inFile = reason ? IN_FILE.exec(reason) : null;
  if (inFile) {
    const [, code, row] = inFile;
    return tr(code === "same_person_in_file" ? "same_person_in_file" : "conflict_in_file", { row: row ?? "" });
  }
  const code = REFUSAL_CODES.find((item) => reason?.startsWith(`${item}:`));
  return code ? tError(code) : (reason ?? "");
}
