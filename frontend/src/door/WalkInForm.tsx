import { createSignal } from "solid-js";
import type { Channel, Disclosure } from "../attendee/api";
import RegisterForm from "../attendee/RegisterForm";
import type { RegistrationForm } from "../attendee/registration";
import { Button } from "../ui/Button";
import { PhoneField } from "../ui/PhoneField";
import { t } from "./t";

/** The walk-in's phone and the self check-in form (loaded only when a volunteer opens it: the
 * form library is not part of the door's first paint). */
export default function WalkInForm(props: {
  disclosures: Disclosure[];
  onRegister: (phone: string, form: RegistrationForm, shown: Record<Channel, Disclosure | undefined>) => Promise<void>;
  onClose: () => void;
}) {
  const [phone, setPhone] = createSignal<string | null>(null);
  const [phoneError, setPhoneError] = createSignal<string | null>(null);
  const submit = async (form: RegistrationForm, shown: Record<Channel, Disclosure | undefined>) => {
    const number = phone();
    if (!number) {
      setPhoneError(t("walkIn.phoneRequired"));
      return;
    }
    await props.onRegister(number, form, shown);
    props.onClose();
  };
  return (
    <>
      <PhoneField
        label={t("walkIn.phone")}
        error={phoneError()}
        onNumber={(number) => {
          setPhone(number);
          if (number) setPhoneError(null);
        }}
      />
      <RegisterForm disclosures={props.disclosures} onSubmit={submit} />
      <Button
        variant="link"
        onClick={() => {
          props.onClose();
        }}
      >
        {t("walkIn.cancel")}
      </Button>
    </>
  );
}
