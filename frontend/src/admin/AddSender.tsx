import { useQueryClient } from "@tanstack/solid-query";
import { createSignal, createUniqueId, For, Show } from "solid-js";
import { Button } from "../ui/Button";
import { TextField } from "../ui/TextField";
import { notifyError, notifySuccess } from "../ui/notifications";
import { messagingKeys } from "./messagingApi";
import { addSender, SENDER_KINDS, type SenderKind } from "./senderSetup";
import { tSenderSetup } from "./senderSetupT";

/** The add-sender form: the database checks every value (number format, SID, email) and audits
 * the insert; a refusal keeps the draft so the admin can correct it. */
export function AddSender() {
  const queryClient = useQueryClient();
  const kindId = createUniqueId();
  const [kind, setKind] = createSignal<SenderKind>("twilio_number");
  const [name, setName] = createSignal("");
  const [address, setAddress] = createSignal("");
  const [fromName, setFromName] = createSignal("");
  const [replyTo, setReplyTo] = createSignal("");
  const [mps, setMps] = createSignal("");
  const [dailyCap, setDailyCap] = createSignal("");
  const [saving, setSaving] = createSignal(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setSaving(true);
    try {
      const added = name().trim();
      await addSender({
        kind: kind(),
        name: name(),
        address: address(),
        fromName: fromName(),
        replyTo: replyTo(),
        mps: mps(),
        dailyCap: dailyCap(),
      });
      notifySuccess(() => tSenderSetup("add.added", { name: added }));
      for (const clear of [setName, setAddress, setFromName, setReplyTo, setMps, setDailyCap]) clear("");
      await queryClient.invalidateQueries({ queryKey: messagingKeys.senders() });
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <section aria-labelledby="add-sender" class="space-y-3 rounded-lg border border-stone-300 bg-white p-4">
      <h2 id="add-sender" class="text-lg font-bold">
        {tSenderSetup("add.title")}
      </h2>
      <form class="grid gap-3 sm:grid-cols-2" onSubmit={(event) => void submit(event)}>
        <div class="flex flex-col gap-1">
          <label for={kindId} class="font-medium">
            {tSenderSetup("add.kind")}
          </label>
          <select
            id={kindId}
            class="min-h-12 rounded-lg border border-stone-500 bg-white px-3 text-lg"
            value={kind()}
            onChange={(event) => setKind(event.currentTarget.value as SenderKind)}
          >
            <For each={SENDER_KINDS}>{(option) => <option value={option}>{tSenderSetup(`add.kinds.${option}`)}</option>}</For>
          </select>
        </div>
        <TextField
          label={tSenderSetup("add.name")}
          hint={tSenderSetup("add.nameHint")}
          required
          value={name()}
          onInput={(event) => setName(event.currentTarget.value)}
        />
        <TextField
          label={tSenderSetup(`add.address.${kind()}`)}
          hint={tSenderSetup(`add.addressHint.${kind()}`)}
          required
          inputmode={kind() === "twilio_number" ? "tel" : kind() === "mailersend" ? "email" : "text"}
          value={address()}
          onInput={(event) => setAddress(event.currentTarget.value)}
        />
        <Show when={kind() === "mailersend"}>
          <TextField label={tSenderSetup("add.fromName")} value={fromName()} onInput={(event) => setFromName(event.currentTarget.value)} />
          <TextField
            label={tSenderSetup("add.replyTo")}
            inputmode="email"
            value={replyTo()}
            onInput={(event) => setReplyTo(event.currentTarget.value)}
          />
        </Show>
        <TextField
          label={tSenderSetup("add.mps")}
          hint={tSenderSetup("add.mpsHint")}
          inputmode="decimal"
          value={mps()}
          onInput={(event) => setMps(event.currentTarget.value)}
        />
        <TextField
          label={tSenderSetup("add.dailyCap")}
          inputmode="numeric"
          value={dailyCap()}
          onInput={(event) => setDailyCap(event.currentTarget.value)}
        />
        <Button type="submit" disabled={saving()}>
          {saving() ? tSenderSetup("add.submitting") : tSenderSetup("add.submit")}
        </Button>
      </form>
    </section>
  );
}
