import { useQuery, useQueryClient } from "@tanstack/solid-query";
import { createSignal, For, Show } from "solid-js";
import { errorCode } from "../lib/errors";
import { createLiveQuery } from "../lib/liveQuery";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifyError, notifySuccess } from "../ui/notifications";
import { addToTeam, fetchEventTeam, fetchStaffPeople, removeFromTeam, splitTeam, volunteerKeys, type StaffPerson } from "./volunteers";
import { tv } from "./volunteers-messages";

/** The event page's door team: the volunteers assigned to this event, added and removed by
 * organizers (the event_staff policies decide; this only shows what they allow). */
export function EventVolunteers(props: { eventId: string }) {
  const queryClient = useQueryClient();
  // Live: refetched after every add and remove while on screen.
  const team = createLiveQuery(() => ({ queryKey: volunteerKeys.team(props.eventId), queryFn: () => fetchEventTeam(props.eventId) }));
  const people = useQuery(() => ({ queryKey: volunteerKeys.staff(), queryFn: fetchStaffPeople }));
  const split = () => splitTeam(people.data ?? [], team().data ?? [], tv("formerStaff"));
  const [chosen, setChosen] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const failure = () => {
    const error = team().error ?? people.error;
    return error ? errorCode(error) : null;
  };

  const change = async (person: StaffPerson, action: "add" | "remove") => {
    setBusy(true);
    try {
      if (action === "add") await addToTeam(props.eventId, person.userId);
      else await removeFromTeam(props.eventId, person.userId);
      notifySuccess(() => tv(action === "add" ? "added" : "removed", { name: person.name }));
      setChosen("");
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
      await queryClient.invalidateQueries({ queryKey: volunteerKeys.team(props.eventId) });
    }
  };
  const candidate = () => split().candidates.find((person) => person.userId === chosen()) ?? split().candidates[0];

  return (
    <section aria-labelledby="event-volunteers-title" class="space-y-3">
      <h2 id="event-volunteers-title" class="text-xl font-semibold">
        {tv("title")}
      </h2>
      <p>{tv("intro")}</p>
      <ErrorAlert code={failure()} />
      <Show when={team().data && people.data}>
        <Show when={split().members.length > 0} fallback={<p>{tv("none")}</p>}>
          <ul class="divide-y divide-stone-200 rounded-lg border border-stone-300" data-testid="event-volunteers">
            <For each={split().members}>
              {(member) => (
                <li class="flex flex-wrap items-center justify-between gap-2 p-2">
                  <span>{member.active ? member.name : tv("inactive", { name: member.name })}</span>
                  <Button
                    variant="secondary"
                    disabled={busy()}
                    aria-label={tv("removeLabel", { name: member.name })}
                    onClick={() => void change(member, "remove")}
                  >
                    {tv("remove")}
                  </Button>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={split().candidates.length > 0} fallback={<p>{tv("noCandidates")}</p>}>
          <form
            class="flex flex-wrap items-end gap-2"
            onSubmit={(event) => {
              event.preventDefault();
              const person = candidate();
              if (person) void change(person, "add");
            }}
          >
            <div class="flex flex-col gap-1">
              <label for="event-volunteer-pick" class="font-medium">
                {tv("pick")}
              </label>
              <select
                id="event-volunteer-pick"
                class="min-h-12 rounded-lg border border-stone-500 bg-white px-3"
                value={candidate()?.userId ?? ""}
                onChange={(event) => setChosen(event.currentTarget.value)}
              >
                <For each={split().candidates}>{(person) => <option value={person.userId}>{person.name}</option>}</For>
              </select>
            </div>
            <Button type="submit" disabled={busy()}>
              {tv("add")}
            </Button>
          </form>
        </Show>
      </Show>
    </section>
  );
}
