import { t } from "./t";

/** "First Last", or a placeholder for a contact known only by phone or email. */
export function displayName(row: { first_name: string | null; last_name: string | null }): string {
  return [row.first_name, row.last_name].filter(Boolean).join(" ") || t("list.unnamed");
}
