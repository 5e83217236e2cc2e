import { createSignal, lazy, Show } from "solid-js";
import type { Channel, Disclosure } from "../attendee/api";
import type { RegistrationForm } from "../attendee/registration";
import { Button } from "../ui/Button";
import { t } from "./t";

const WalkInForm = lazy(() => import("./WalkInForm"));

/** A first-timer registered by a volunteer: their phone, then the same form (and the same
 * separate, unticked opt-ins with their disclosures) as self check-in. */
export function WalkIn(props: {
  disclosures: Disclosure[];
  onRegister: (phone: string, form: RegistrationForm, shown: Record<Channel, Disclosure | undefined>) => Promise<void>;
}) {
  const [open, setOpen] = createSignal(false);
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
        <WalkInForm disclosures={props.disclosures} onRegister={props.onRegister} onClose={() => setOpen(false)} />
      </Show>
    </section>
  );
}
