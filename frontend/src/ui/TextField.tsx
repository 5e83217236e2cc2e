import { createUniqueId, Show, splitProps, type JSX } from "solid-js";

export type TextFieldProps = JSX.InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  /** A hint under the label, read with the field. */
  hint?: string;
  /** The already translated error for this field, if any. */
  error?: string | null | undefined;
};

/** A labelled input whose hint and error are tied to it for screen readers. */
export function TextField(props: TextFieldProps) {
  const [local, input] = splitProps(props, ["label", "hint", "error", "id", "class"]);
  const generatedId = createUniqueId();
  const id = () => local.id ?? generatedId;
  const describedBy = () =>
    [local.hint ? `${id()}-hint` : null, local.error ? `${id()}-error` : null].filter(Boolean).join(" ") ||
    undefined;
  return (
    <div class={`flex flex-col gap-1 ${local.class ?? ""}`}>
      <label for={id()} class="font-medium">
        {local.label}
      </label>
      <Show when={local.hint}>
        <p id={`${id()}-hint`} class="text-sm text-stone-700">
          {local.hint}
        </p>
      </Show>
      <input
        id={id()}
        aria-invalid={local.error ? true : undefined}
        aria-describedby={describedBy()}
        class="min-h-12 rounded-lg border border-stone-500 bg-white px-3 text-lg aria-invalid:border-red-700"
        {...input}
      />
      <Show when={local.error}>
        <p id={`${id()}-error`} class="text-sm text-red-800">
          {local.error}
        </p>
      </Show>
    </div>
  );
}
