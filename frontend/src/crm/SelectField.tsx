import { createUniqueId, For, splitProps, type JSX } from "solid-js";

export interface Option {
  value: string;
  label: string;
}

/** A labelled native select (keyboard and screen-reader behaviour for free). */
export function SelectField(
  props: Omit<JSX.SelectHTMLAttributes<HTMLSelectElement>, "onChange"> & {
    label: string;
    options: Option[];
    value: string;
    onChange: (value: string) => void;
  },
) {
  const [local, rest] = splitProps(props, ["label", "options", "value", "onChange", "class", "id"]);
  const generatedId = `select-${createUniqueId()}`;
  const id = () => local.id ?? generatedId;
  return (
    <div class={`flex flex-col gap-1 ${local.class ?? ""}`}>
      <label for={id()} class="font-medium">
        {local.label}
      </label>
      <select
        id={id()}
        class="min-h-12 rounded-lg border border-stone-500 bg-white px-3"
        value={local.value}
        onChange={(event) => { local.onChange(event.currentTarget.value); }}
        {...rest}
      >
        <For each={local.options}>
          {(option) => (
            <option value={option.value} selected={option.value === local.value}>
              {option.label}
            </option>
          )}
        </For>
      </select>
    </div>
  );
}
