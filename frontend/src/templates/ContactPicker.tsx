import { useQuery } from "@tanstack/solid-query";
import { Show, createSignal } from "solid-js";
import { SelectField } from "../crm/SelectField";
import { errorCode } from "../lib/errors";
import { ErrorAlert } from "../ui/ErrorAlert";
import { TextField } from "../ui/TextField";
import { searchContacts, templateKeys } from "./api";
import { createDebounced } from "../lib/debounce";
import { t } from "./t";

/** Search contacts (as RLS shows them) and choose one to preview a message for. */
export function ContactPicker(props: { value: string; onChange: (id: string) => void }) {
  const [search, setSearch] = createSignal("");
  const debounced = createDebounced(search, 250);
  const contacts = useQuery(() => ({
    queryKey: templateKeys.contacts(debounced()),
    queryFn: () => searchContacts(debounced()),
  }));
  const options = () => [
    { value: "", label: t("preview.pick") },
    ...(contacts.data ?? []).map((c) => ({ value: c.id, label: c.label })),
  ];
  return (
    <div class="space-y-2">
      <TextField
        label={t("preview.contact")}
        hint={t("preview.contactHint")}
        type="search"
        value={search()}
        onInput={(event) => setSearch(event.currentTarget.value)}
      />
      <SelectField label={t("preview.pick")} options={options()} value={props.value} onChange={props.onChange} />
      <Show when={contacts.data?.length === 0}>
        <p>{t("preview.noMatches")}</p>
      </Show>
      <Show when={contacts.error}>
        <ErrorAlert code={errorCode(contacts.error)} />
      </Show>
    </div>
  );
}
