import { createSignal } from "solid-js";
import { formatAsTyped, toE164 } from "../lib/phone";
import { TextField } from "./TextField";

/** A phone number field that formats as people type and reports the E.164 number (or null
 * while what is typed is not a valid number). */
export function PhoneField(props: {
  label: string;
  hint?: string;
  error?: string | null | undefined;
  onNumber: (e164: string | null) => void;
  autofocus?: boolean;
}) {
  const [text, setText] = createSignal("");
  return (
    <TextField
      label={props.label}
      hint={props.hint}
      error={props.error}
      type="tel"
      name="phone"
      inputmode="tel"
      autocomplete="tel"
      autofocus={props.autofocus}
      value={text()}
      onInput={(event) => {
        const formatted = formatAsTyped(event.currentTarget.value);
        setText(formatted);
        event.currentTarget.value = formatted;
        props.onNumber(toE164(formatted));
      }}
    />
  );
}
