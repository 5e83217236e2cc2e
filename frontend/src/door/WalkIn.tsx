import { createSignal, Show } from "solid-js";
import type { Channel, Disclosure } from "../attendee/api";
import { RegisterForm } from "../attendee/RegisterForm";
import type { RegistrationForm } from "../attendee/registration";
import { Button } from "../ui/Button";
import { PhoneField } from "../ui/PhoneField";
import { t } from "./t";

/** A first-timer registered by a volunteer: their phone, then the same form (and the same
 * separate, unticked opt-ins with their disclosures) as self check-in. */
export function WalkIn(props: {
  disclosures: Disclosure[];
  onRegister: (phone: string, form: RegistrationForm, shown: Record<Channel, Disclosure | undefined>) => Promise<void>;
}) {
  const [open, setOpen] = createSignal(false);
  const [phone, setPhone] = createSignal<string | null>(null);
  const [phoneError, setPhoneError] = createSignal<string | null>(null);
  const submit = async (form: RegistrationForm, shown: Record<Channel, Disclosure | undefined>) => {
    const number = phone();
    if (!number) {
      setPhoneError(t("walkIn.phoneRequired"));
      return;
    }
    await props.onRegister(number, form, shown);
    setOpen(false);
  };
  return (
    <section aria-labelledby="walk-in-title" class="space-y-3">
      <h2 id="walk-in-title" class="text-xl font-bold">
        {t("walkIn.title")}
      </h2>
      <Show
        when={open()}
        fallback={
          <Button variant="secondary" onClick={() => setOpen(true)}>
            {t("walkIn.open")}
          </Button>
        }
      >
        <PhoneField
          label={t("walkIn.phone")}
          error={phoneError()}
          onNumber={(number) => {
            setPhone(number);
            if (number) setPhoneError(null);
          }}
        />
        <RegisterForm
          disclosures={props.disclosures}
          onSubmit={submit}
        />
        <Button variant="link" onClick={() => setOpen(false)}>
          {t("walkIn.cancel")}
        </Button>
      </Show>
    </section>
  );
}
