import { Show, createSignal } from "solid-js";
import { SelectField } from "../crm/SelectField";
import { Button } from "../ui/Button";
import { TextField } from "../ui/TextField";
import { KNOWN_MERGE_FIELDS, mergeFieldToken } from "./merge-fields";
import { t } from "./t";

/** Choose a field (or a custom field's key) and an optional default, then insert it. */
export function MergeFieldPicker(props: { onInsert: (token: string) => void }) {
  const [field, setField] = createSignal<string>("first_name");
  const [customKey, setCustomKey] = createSignal("");
  const [fallback, setFallback] = createSignal("");
  const chosen = () => (field() === "custom" ? `custom.${customKey().trim()}` : field());
  const valid = () => field() !== "custom" || /^[A-Za-z0-9_]+$/.test(customKey().trim());
  const options = () =>
    [...KNOWN_MERGE_FIELDS, "custom" as const].map((name) => ({ value: name, label: t(`fields.names.${name}`) }));
  return (
    <fieldset class="space-y-3 rounded-lg border border-stone-300 p-3">
      <legend class="px-1 font-semibold">{t("fields.title")}</legend>
      <SelectField label={t("fields.field")} options={options()} value={field()} onChange={setField} />
      <Show when={field() === "custom"}>
        <TextField
          label={t("fields.customKey")}
          hint={t("fields.customKeyHint")}
          value={customKey()}
          onInput={(event) => setCustomKey(event.currentTarget.value)}
        />
      </Show>
      <TextField
        label={t("fields.fallback")}
        hint={t("fields.fallbackHint")}
        value={fallback()}
        onInput={(event) => setFallback(event.currentTarget.value)}
      />
      <Button variant="secondary" disabled={!valid()} onClick={() => {
          props.onInsert(mergeFieldToken(chosen(), fallback()));
        }}>
        {t("fields.insert")}
      </Button>
    </fieldset>
  );
}
