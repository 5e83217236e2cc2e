import { createEffect, createSignal, on, onMount, untrack } from "solid-js";
import { TextField } from "./TextField";

type PhoneLib = typeof import("../lib/phone");

// libphonenumber's metadata is the largest part of the phone step; it loads right after the
// first paint, and whatever was typed meanwhile is formatted once it arrives.
let phoneLib: PhoneLib | undefined;
function loadPhoneLib(): Promise<PhoneLib> {
  return import("../lib/phone").then((lib) => (phoneLib = lib));
}

/** A phone number field that formats as people type and reports the E.164 number (or null
 * while what is typed is not a valid number) with the text as shown. */
export function PhoneField(props: {
  label: string;
  hint?: string;
  error?: string | null | undefined;
  onNumber: (e164: string | null, shown: string) => void;
  autofocus?: boolean;
}) {
  const [text, setText] = createSignal("");
  let input: HTMLInputElement | undefined;
  const apply = (typed: string) => {
    const formatted = phoneLib ? phoneLib.formatAsTyped(typed) : typed;
    setText(formatted);
    if (input && input.value !== formatted) input.value = formatted;
    props.onNumber(phoneLib ? phoneLib.toE164(formatted) : null, formatted);
  };
  const [libReady, setLibReady] = createSignal(phoneLib !== undefined);
  onMount(() => {
    void loadPhoneLib().then(() => setLibReady(true));
  });
  createEffect(
    on(
      libReady,
      () => {
        const typed = untrack(text);
        if (typed !== "") apply(typed);
      },
      { defer: true },
    ),
  );
  return (
    <TextField
      ref={input}
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
        apply(event.currentTarget.value);
      }}
    />
  );
}
