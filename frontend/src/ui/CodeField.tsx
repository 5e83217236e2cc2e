import { PinInput } from "@ark-ui/solid/pin-input";
import { Index } from "solid-js";

export const CODE_LENGTH = 6;

/** The one-time code: six boxes (Ark PinInput), `autocomplete="one-time-code"` so phones offer
 * the texted code, and `onComplete` once all digits are there. */
export default function CodeField(props: {
  label: string;
  invalid?: boolean;
  disabled?: boolean;
  onComplete: (code: string) => void;
}) {
  return (
    <PinInput.Root
      otp
      type="numeric"
      autoFocus
      invalid={props.invalid}
      disabled={props.disabled}
      onValueComplete={(details) => {
        props.onComplete(details.valueAsString);
      }}
      class="flex flex-col gap-2"
    >
      <PinInput.Label class="font-medium">{props.label}</PinInput.Label>
      <PinInput.Control class="flex gap-2">
        <Index each={Array.from({ length: CODE_LENGTH })}>
          {(_, index) => (
            <PinInput.Input
              index={index}
              class="h-14 w-11 rounded-lg border border-stone-500 bg-white text-center text-2xl data-invalid:border-red-700"
            />
          )}
        </Index>
      </PinInput.Control>
      <PinInput.HiddenInput name="code" />
    </PinInput.Root>
  );
}
