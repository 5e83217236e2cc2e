import { useNavigate, useParams } from "@solidjs/router";
import { useQuery } from "@tanstack/solid-query";
import { createEffect, createSignal, For, on, onCleanup, onMount, Show } from "solid-js";
import { fetchEventBySlug } from "../attendee/api";
import SelfCheckIn from "../attendee/SelfCheckIn";
import { errorCode } from "../lib/errors";
import { createLiveQuery } from "../lib/liveQuery";
import { queryKeys } from "../lib/query";
import { session, signOut } from "../lib/session";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { LanguageSwitch } from "../ui/LanguageSwitch";
import { notifyError } from "../ui/notifications";
import { TextField } from "../ui/TextField";
import { isCheckedIn, unlockKiosk } from "./api";
import { awake, tick } from "./idle";
import { t } from "./t";

const IDLE_AFTER_SECONDS = 60;
const GRACE_SECONDS = 15;
const DONE_SECONDS = 10;

/** /kiosk/<slug>: self check-in on a shared tablet, full screen. After a check-in, or when
 * nobody touches it, it signs the attendee out and starts over; only a staff PIN leaves it. */
export default function Kiosk() {
  const params = useParams<{ slug: string }>();
  const navigate = useNavigate();
  const event = useQuery(() => ({ queryKey: queryKeys.eventBySlug(params.slug), queryFn: () => fetchEventBySlug(params.slug) }));
  // Each round is a fresh SelfCheckIn (remounted), so nothing of the last person remains.
  const [round, setRound] = createSignal(0);
  const [idle, setIdle] = createSignal(awake);
  const [doneLeft, setDoneLeft] = createSignal<number | null>(null);
  const [exitOpen, setExitOpen] = createSignal(false);

  const startOver = async () => {
    setDoneLeft(null);
    setIdle(awake);
    try {
      if (session()) await signOut();
    } catch (error) {
      notifyError(error);
    }
    setRound(round() + 1);
  };

  const leave = async () => {
    if (session()) await signOut();
    navigate(`/door/${params.slug}`, { replace: true });
  };

  const checkedIn = createLiveQuery(() => ({
    queryKey: ["check_ins", "kiosk", event.data?.id ?? "", session()?.user.id ?? ""],
    queryFn: () => isCheckedIn(event.data?.id ?? ""),
    enabled: event.data !== undefined && Boolean(session()?.user.phone) && doneLeft() === null,
    refetchInterval: 1_500,
  }));
  createEffect(
    on(
      () => checkedIn().data,
      (done) => {
        if (done && doneLeft() === null) setDoneLeft(DONE_SECONDS);
      },
    ),
  );

  let overlay: HTMLDivElement | undefined;
  onMount(() => {
    // Nothing but the kiosk can be reached (the app's header links would leave it without the PIN).
    const madeInert = overlay ? inertOutside(overlay) : [];
    onCleanup(() => {
      for (const element of madeInert) element.inert = false;
    });
    const touched = () => setIdle(awake);
    for (const name of ["pointerdown", "keydown", "input"] as const) window.addEventListener(name, touched, true);
    const clock = setInterval(() => {
      const left = doneLeft();
      if (left !== null) {
        if (left <= 1) void startOver();
        else setDoneLeft(left - 1);
        return;
      }
      // Nothing to forget on the first screen with nobody signed in.
      if (!session() || exitOpen()) return;
      const next = tick(idle(), IDLE_AFTER_SECONDS, GRACE_SECONDS);
      if (next.reset) void startOver();
      else setIdle(next);
    }, 1000);
    onCleanup(() => {
      clearInterval(clock);
      for (const name of ["pointerdown", "keydown", "input"] as const) window.removeEventListener(name, touched, true);
    });
  });

  return (
    <div ref={overlay} class="fixed inset-0 z-40 overflow-y-auto bg-stone-50 text-lg">
      <div class="mx-auto flex max-w-xl flex-col gap-6 p-6 [&_button]:min-h-14 [&_input]:min-h-14">
        <div class="flex items-center justify-between gap-3">
          <p class="text-3xl font-extrabold text-teal-900">{t("title")}</p>
          <LanguageSwitch />
        </div>
        <div class="space-y-6">
          <Show when={event.error}>
            <ErrorAlert code={errorCode(event.error)} />
          </Show>
          <For each={[round()]}>{() => <SelfCheckIn />}</For>
          <Show when={doneLeft()}>
            {(left) => (
              <div class="space-y-3 rounded-xl border-2 border-teal-800 bg-white p-4">
                <p>{t("nextPerson", { seconds: String(left()) })}</p>
                <Button class="w-full" onClick={() => void startOver()}>
                  {t("startOver")}
                </Button>
              </div>
            )}
          </Show>
        </div>
        <div class="pt-8">
          <Button variant="link" onClick={() => setExitOpen(true)}>
            {t("exit.open")}
          </Button>
        </div>
      </div>
      <Show when={idle().promptLeft}>
        {(left) => (
          <Modal titleId="kiosk-still-there" title={t("stillThere.title")}>
            <p>{t("stillThere.body", { seconds: String(left()) })}</p>
            <Button class="w-full" autofocus onClick={() => setIdle(awake)}>
              {t("stillThere.stay")}
            </Button>
          </Modal>
        )}
      </Show>
      <Show when={exitOpen() && event.data}>
        {(current) => (
          <ExitDialog
            eventId={current().id}
            onCancel={() => setExitOpen(false)}
            onUnlocked={leave}
          />
        )}
      </Show>
    </div>
  );
}

/** Make every element beside `keep` and beside each of its ancestors inert; returns them. */
function inertOutside(keep: HTMLElement): HTMLElement[] {
  const changed: HTMLElement[] = [];
  let node = keep;
  while (node.parentElement) {
    const parent = node.parentElement;
    for (const sibling of Array.from(parent.children)) {
      if (sibling !== node && sibling instanceof HTMLElement && !sibling.inert) {
        sibling.inert = true;
        changed.push(sibling);
      }
    }
    node = parent;
  }
  return changed;
}

function Modal(props: { titleId: string; title: string; children: import("solid-js").JSX.Element }) {
  return (
    <div class="fixed inset-0 z-50 flex items-center justify-center bg-black/60 p-6">
      <div role="dialog" aria-modal="true" aria-labelledby={props.titleId} class="w-full max-w-md space-y-4 rounded-2xl bg-white p-6">
        <h2 id={props.titleId} class="text-2xl font-bold">
          {props.title}
        </h2>
        {props.children}
      </div>
    </div>
  );
}

function ExitDialog(props: { eventId: string; onCancel: () => void; onUnlocked: () => Promise<void> }) {
  const [pin, setPin] = createSignal("");
  const [wrong, setWrong] = createSignal(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    try {
      if (await unlockKiosk(props.eventId, pin())) await props.onUnlocked();
      else {
        setWrong(true);
        setPin("");
      }
    } catch (error) {
      notifyError(error);
    }
  };
  return (
    <Modal titleId="kiosk-exit" title={t("exit.title")}>
      <form class="space-y-4" onSubmit={(event) => void submit(event)}>
        <TextField
          label={t("exit.pin")}
          type="password"
          inputmode="numeric"
          autocomplete="off"
          autofocus
          value={pin()}
          error={wrong() ? t("exit.wrong") : null}
          onInput={(input) => setPin(input.currentTarget.value)}
        />
        <div class="flex gap-3">
          <Button type="submit">{t("exit.submit")}</Button>
          <Button
            variant="secondary"
            onClick={() => {
              props.onCancel();
            }}
          >
            {t("exit.cancel")}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
