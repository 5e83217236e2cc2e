import { A } from "@solidjs/router";
import { useQuery, useQueryClient } from "@tanstack/solid-query";
import { For, Show } from "solid-js";
import { errorCode } from "../lib/errors";
import { tCommon } from "../lib/i18n";
import { RequireStaff } from "../staff/RequireStaff";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifyError, notifySuccess } from "../ui/notifications";
import { automationKeys, fetchAutomations, fetchChoices, setEnabled } from "./api";
import type { AutomationRow } from "./rules";
import { doesText, whenText } from "./summary";
import { t } from "./t";

const LINK = "font-semibold text-teal-900 underline";

function EnabledSwitch(props: { row: AutomationRow }) {
  const queryClient = useQueryClient();
  const toggle = async (enabled: boolean) => {
    try {
      await setEnabled(props.row.id, enabled);
      const { name } = props.row;
      notifySuccess(() => t(enabled ? "list.turnedOn" : "list.turnedOff", { name }));
    } catch (error) {
      notifyError(error);
    } finally {
      await queryClient.invalidateQueries({ queryKey: ["automations"] });
    }
  };
  return (
    <label class="flex min-h-12 items-center gap-2">
      <input
        type="checkbox"
        role="switch"
        class="size-5"
        checked={props.row.enabled}
        onChange={(event) => void toggle(event.currentTarget.checked)}
      />
      <span class="sr-only">{t("list.enable", { name: props.row.name })}</span>
    </label>
  );
}

function AutomationsScreen() {
  const automations = useQuery(() => ({ queryKey: automationKeys.all(), queryFn: fetchAutomations }));
  const choices = useQuery(() => ({ queryKey: automationKeys.choices(), queryFn: fetchChoices }));
  const templates = () => choices.data?.templates ?? [];
  return (
    <section class="space-y-4">
      <h1 class="text-2xl font-bold">{t("list.title")}</h1>
      <p>{t("list.intro")}</p>
      <div class="flex flex-wrap gap-4">
        <A href="/automations/new" class={LINK}>
          {t("list.new")}
        </A>
        <A href="/automations/runs" class={LINK}>
          {t("list.runLog")}
        </A>
      </div>
      <ErrorAlert code={automations.error ? errorCode(automations.error) : null} />
      <Show when={automations.data} fallback={<Show when={!automations.error}><p role="status">{tCommon("loading")}</p></Show>}>
        {(rows) => (
          <Show when={rows().length > 0} fallback={<p>{t("list.empty")}</p>}>
            <div class="overflow-x-auto">
              <table class="w-full text-left">
                <thead>
                  <tr class="border-b border-stone-300">
                    <th scope="col" class="py-2 pr-3">{t("list.name")}</th>
                    <th scope="col" class="py-2 pr-3">{t("list.when")}</th>
                    <th scope="col" class="py-2 pr-3">{t("list.does")}</th>
                    <th scope="col" class="py-2">{t("list.enabled")}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={rows()}>
                    {(row) => (
                      <tr class="border-b border-stone-200 align-top">
                        <td class="py-2 pr-3">
                          <A href={`/automations/${row.id}`} class={LINK}>
                            {row.name}
                          </A>
                        </td>
                        <td class="py-2 pr-3">{whenText(row)}</td>
                        <td class="py-2 pr-3">{doesText(row, templates())}</td>
                        <td class="py-2">
                          <EnabledSwitch row={row} />
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        )}
      </Show>
    </section>
  );
}

export default function AutomationsList() {
  return (
    <RequireStaff min="organizer">
      <AutomationsScreen />
    </RequireStaff>
  );
}
