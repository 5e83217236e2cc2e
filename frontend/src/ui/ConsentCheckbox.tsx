import { createUniqueId, splitProps, type JSX } from "solid-js";

/** An unticked-by-default opt-in with the exact disclosure text beside it (read with the box). */
export function ConsentCheckbox(
  props: JSX.InputHTMLAttributes<HTMLInputElement> & { label: string; disclosure: string },
) {
  const [local, input] = splitProps(props, ["label", "disclosure"]);
  const id = createUniqueId();
  return (
    <div class="flex gap-3 rounded-lg border border-stone-300 bg-white p-3">
      <input
        {...input}
        id={id}
        type="checkbox"
        aria-describedby={`${id}-disclosure`}
        class="mt-1 h-6 w-6 shrink-0 accent-teal-800"
      />
      <div>
        <label for={id} class="font-medium">
          {local.label}
        </label>
        <p id={`${id}-disclosure`} class="text-sm text-stone-700">
          {local.disclosure}
        </p>
      </div>
    </div>
  );
}
