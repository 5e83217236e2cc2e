import { createUniqueId, For, Show, splitProps, type JSX } from "solid-js";
import { locale, tCommon } from "../lib/i18n";
import type { Channel, Disclosure } from "./api";
import { t } from "./t";

/** The part of a person's form that self check-in's registration (and the door's walk-in), the
 * public RSVP form and /me share: the language we write to them in, and one unticked opt-in per
 * channel shown with the exact disclosure text it records. Each form binds the values its own
 * way (a formisch form, a signal, a call per change); the words and which boxes appear live here. */

/** The opt-in channels a form offers, in the order they are shown. */
export const OPT_IN_CHANNELS = ["sms", "email"] as const satisfies readonly Channel[];
export type OptInChannel = (typeof OPT_IN_CHANNELS)[number];

/** The disclosure a box shows (and its opt-in records): the current one for the channel, in the
 * language on screen. None published → no box, since an opt-in must name what was shown. */
export function shownDisclosure(disclosures: readonly Disclosure[] | undefined, channel: Channel): Disclosure | undefined {
  return disclosures?.find((disclosure) => disclosure.channel === channel && disclosure.locale === locale());
}

export function LanguageSelect(props: JSX.SelectHTMLAttributes<HTMLSelectElement> & { label: string }) {
  const [local, select] = splitProps(props, ["label"]);
  const id = createUniqueId();
  return (
    <div class="flex flex-col gap-1">
      <label for={id} class="font-medium">
        {local.label}
      </label>
      <select {...select} id={id} class="min-h-12 rounded-lg border border-stone-500 bg-white px-3 text-lg">
        <option value="en" lang="en">
          {tCommon("language.en")}
        </option>
        <option value="es" lang="es">
          {tCommon("language.es")}
        </option>
      </select>
    </div>
  );
}

/** The words beside a channel's opt-in box. */
export function optInLabel(channel: OptInChannel): string {
  return channel === "sms" ? t("register.smsOptIn") : t("register.emailOptIn");
}

/** What a form's opt-in box shows: its label and the disclosure text beside it. */
export interface OptInText {
  label: string;
  disclosure: string;
}

/** The opt-in boxes under their legend, one per channel with a disclosure on screen; `children`
 * renders each box (a ConsentCheckbox bound to the form) with the text given. */
export function OptIns(props: {
  disclosures: readonly Disclosure[] | undefined;
  children: (channel: OptInChannel, text: OptInText) => JSX.Element;
}) {
  return (
    <fieldset class="space-y-3">
      <legend class="font-medium">{t("register.optIns")}</legend>
      <For each={OPT_IN_CHANNELS}>
        {(channel) => (
          <Show when={shownDisclosure(props.disclosures, channel)}>
            {(disclosure) =>
              props.children(channel, {
                get label() {
                  return optInLabel(channel);
                },
                get disclosure() {
                  return disclosure().body;
                },
              })
            }
          </Show>
        )}
      </For>
    </fieldset>
  );
}
