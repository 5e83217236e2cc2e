import { useQuery, useQueryClient } from "@tanstack/solid-query";
import { createSignal, For, lazy, Match, Show, Suspense, Switch, untrack, type JSX } from "solid-js";
import { formatDateTime } from "../lib/dates";
import { errorCode } from "../lib/errors";
import { isLocale, locale, setLocale, tCommon, type Locale } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { queryKeys } from "../lib/query";
import { invalidateOnChanges } from "../lib/realtime";
import { session, sessionKnown } from "../lib/session";
import { Button } from "../ui/Button";
import { ConsentCheckbox } from "../ui/ConsentCheckbox";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifyError, notifySuccess } from "../ui/notifications";
import { PersonalQr } from "../ui/PersonalQr";
import { fetchDisclosures, fetchMyContact, recordConsent, type Channel, type MyContact } from "./api";
import { EraseDialog } from "./EraseDialog";
import { LanguageSelect, OPT_IN_CHANNELS, optInLabel, shownDisclosure } from "./LanguageAndOptIns";
import {
  avatarUrl,
  exportMyData,
  fetchMyCheckIns,
  fetchMyConsents,
  fetchOpenErasureRequest,
  fetchProfile,
  requestErasure,
  saveProfile,
  setPreferredLanguage,
  uploadAvatar,
} from "./me-api";
import { PhoneSignIn } from "./PhoneSignIn";
import { toProfileChanges, type ProfileForm as ProfileFormValues } from "./profile";
import { ProfileForm } from "./ProfileForm";
import { t } from "./t";

function Section(props: { title: string; children: JSX.Element }) {
  return (
    <section class="space-y-3 rounded-xl border border-stone-300 bg-white p-4">
      <h2 class="text-xl font-bold">{props.title}</h2>
      {props.children}
    </section>
  );
}

// The cropper (and Ark's image cropper under it) loads only once someone picks a photo.
const AvatarCropper = lazy(() => import("./AvatarCropper"));

function Avatar(props: { userId: string; contactId: string }) {
  const queryClient = useQueryClient();
  // Live: refetched after an upload while on screen.
  const profile = createLiveQuery(() => ({ queryKey: ["profiles", props.contactId], queryFn: () => fetchProfile(props.contactId) }));
  const [picked, setPicked] = createSignal<File | null>(null);
  const [progress, setProgress] = createSignal<number | null>(null);
  const [version, setVersion] = createSignal(Date.now());
  let fileInput: HTMLInputElement | undefined;
  const finish = () => {
    setPicked(null);
    if (fileInput) fileInput.value = "";
  };
  const upload = async (image: Blob) => {
    finish();
    try {
      setProgress(0);
      await uploadAvatar(props.userId, image, setProgress);
      setVersion(Date.now());
      await queryClient.invalidateQueries({ queryKey: ["profiles", props.contactId] });
      notifySuccess(() => t("me.avatarSaved"));
    } catch (error) {
      notifyError(error);
    } finally {
      setProgress(null);
    }
  };
  return (
    <div class="flex flex-wrap items-center gap-4">
      <Show when={profile().data?.avatar_path}>
        {(path) => (
          <img src={`${avatarUrl(path())}?v=${version()}`} alt={t("me.avatarAlt")} class="h-24 w-24 rounded-full border object-cover" />
        )}
      </Show>
      <div class="flex min-w-0 flex-col gap-2">
        <label for="avatar-file" class="font-medium">
          {t("me.avatarPick")}
        </label>
        <input
          id="avatar-file"
          ref={fileInput}
          type="file"
          accept="image/png,image/jpeg,image/webp"
          class="max-w-full"
          onChange={(event) => {
            setPicked(event.currentTarget.files?.[0] ?? null);
          }}
        />
        <Show when={progress()}>
          {(fraction) => (
            <div role="status">
              <progress max="1" value={fraction()} aria-label={t("me.avatar")} class="w-full" />
              <p class="text-sm">{t("me.avatarUploading", { percent: Math.round(fraction() * 100) })}</p>
            </div>
          )}
        </Show>
      </div>
      <Show when={picked()} keyed>
        {(file) => (
          <Suspense fallback={<p role="status">{tCommon("loading")}</p>}>
            <AvatarCropper file={file} onCancel={finish} onCropped={(image) => void upload(image)} />
          </Suspense>
        )}
      </Show>
    </div>
  );
}

function Consents(props: { contactId: string }) {
  const queryClient = useQueryClient();
  const consents = useQuery(() => ({ queryKey: queryKeys.myConsents(props.contactId), queryFn: () => fetchMyConsents(props.contactId) }));
  const disclosures = useQuery(() => ({ queryKey: queryKeys.disclosures(), queryFn: fetchDisclosures }));
  const shown = (channel: Channel) => shownDisclosure(disclosures.data, channel);
  const change = async (channel: Channel, optIn: boolean) => {
    try {
      await recordConsent(channel, optIn ? "opted_in" : "opted_out", optIn ? shown(channel)?.id : undefined);
      notifySuccess(() => t("me.consentSaved"));
    } catch (error) {
      notifyError(error);
    } finally {
      await queryClient.invalidateQueries({ queryKey: queryKeys.myConsents(props.contactId) });
    }
  };
  return (
    <div class="space-y-3">
      <p class="text-stone-700">{t("me.consentsHint")}</p>
      <For each={OPT_IN_CHANNELS}>
        {(channel) => (
          <Show when={shown(channel)}>
            {(disclosure) => (
              <ConsentCheckbox
                checked={consents.data?.[channel] === "opted_in"}
                label={optInLabel(channel)}
                disclosure={disclosure().body}
                onChange={(event) => void change(channel, event.currentTarget.checked)}
              />
            )}
          </Show>
        )}
      </For>
    </div>
  );
}

function History(props: { contactId: string }) {
  const checkIns = createLiveQuery(() => ({ queryKey: queryKeys.myCheckIns(props.contactId), queryFn: () => fetchMyCheckIns(props.contactId) }));
  // One subscription for the component's life: its contact never changes while it is shown.
  untrack(() => {
    invalidateOnChanges({
      table: "check_ins",
      filter: `contact_id=eq.${props.contactId}`,
      queryKeys: [queryKeys.myCheckIns(props.contactId)],
    });
  });
  const failure = () => checkIns().error;
  return (
    <>
      <ErrorAlert code={failure() ? errorCode(failure()) : null} />
      <Show when={(checkIns().data ?? []).length > 0} fallback={<Show when={!failure()}><p>{t("me.noHistory")}</p></Show>}>
        <ul class="divide-y">
          <For each={checkIns().data}>
            {(checkIn) => (
              <li class="py-2">
                <span class="font-semibold">{checkIn.event?.name}</span>
                <span class="block text-sm text-stone-700">
                  {formatDateTime(checkIn.checked_in_at, checkIn.event?.time_zone ?? "America/New_York", locale())}
                </span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </>
  );
}

function YourData(props: { contactId: string }) {
  const queryClient = useQueryClient();
  const erasure = useQuery(() => ({ queryKey: ["gdpr_requests", "erase", props.contactId], queryFn: fetchOpenErasureRequest }));
  const download = async () => {
    try {
      const url = URL.createObjectURL(await exportMyData());
      const link = document.createElement("a");
      link.href = url;
      link.download = "hello-miami-my-data.json";
      link.click();
      URL.revokeObjectURL(url);
      notifySuccess(() => t("me.downloadReady"));
    } catch (error) {
      notifyError(error);
    }
  };
  const erase = async () => {
    try {
      await requestErasure();
      await queryClient.invalidateQueries({ queryKey: ["gdpr_requests", "erase", props.contactId] });
    } catch (error) {
      notifyError(error);
    }
  };
  return (
    <div class="flex flex-wrap gap-3">
      <Button variant="secondary" onClick={() => void download()}>
        {t("me.download")}
      </Button>
      <Show
        when={erasure.data}
        fallback={<EraseDialog onConfirm={erase} />}
      >
        {(requestedAt) => (
          <p role="status" class="rounded-lg bg-amber-50 p-3">
            {t("me.eraseRequested", { date: formatDateTime(requestedAt(), Intl.DateTimeFormat().resolvedOptions().timeZone, locale()) })}
          </p>
        )}
      </Show>
    </div>
  );
}

function LanguageChoice(props: { contact: MyContact }) {
  const queryClient = useQueryClient();
  const choose = async (language: Locale) => {
    try {
      await setPreferredLanguage(props.contact.id, language);
      setLocale(language);
      notifySuccess(() => t("me.languageSaved", { language: tCommon(`language.${language}`) }));
    } catch (error) {
      notifyError(error);
    } finally {
      await queryClient.invalidateQueries({ queryKey: ["contacts", "mine"] });
    }
  };
  return (
    <LanguageSelect
      label={t("me.language")}
      value={props.contact.preferred_language ?? locale()}
      onChange={(event) => {
        const value = event.currentTarget.value;
        if (isLocale(value)) void choose(value);
      }}
    />
  );
}

function MyPage(props: { userId: string }) {
  const queryClient = useQueryClient();
  const contact = useQuery(() => ({ queryKey: queryKeys.myContact(props.userId), queryFn: () => fetchMyContact(props.userId) }));
  const profile = useQuery(() => ({
    queryKey: ["profiles", contact.data?.id ?? "none"],
    queryFn: () => fetchProfile(contact.data?.id ?? ""),
    enabled: contact.data !== undefined,
  }));
  const save = async (me: MyContact, values: ProfileFormValues) => {
    try {
      await saveProfile(me.id, toProfileChanges(values));
      notifySuccess(() => t("me.saved"));
      await queryClient.invalidateQueries({ queryKey: queryKeys.myContact(props.userId) });
    } catch (error) {
      notifyError(error);
    }
  };
  return (
    <Switch>
      <Match when={contact.error}>
        <ErrorAlert code={errorCode(contact.error)} />
      </Match>
      <Match when={contact.data}>
        {(me) => (
          <div class="space-y-6">
            <Section title={t("me.qr")}>
              <div class="flex flex-col items-center gap-2">
                <PersonalQr token={me().qr_token} label={t("me.qr")} />
                <p class="text-sm text-stone-700">{t("me.qrHint")}</p>
              </div>
            </Section>
            <Section title={t("me.profile")}>
              <Avatar userId={props.userId} contactId={me().id} />
              <Show when={profile.isSuccess}>
                <ProfileForm contact={me()} profile={profile.data ?? null} onSave={(values) => save(me(), values)} />
              </Show>
            </Section>
            <Section title={t("me.consents")}>
              <Consents contactId={me().id} />
              <LanguageChoice contact={me()} />
            </Section>
            <Section title={t("me.history")}>
              <History contactId={me().id} />
            </Section>
            <Section title={t("me.data")}>
              <YourData contactId={me().id} />
            </Section>
          </div>
        )}
      </Match>
    </Switch>
  );
}

/** /me: the attendee's own page, after signing in with their phone. */
export default function Me() {
  return (
    <div class="mx-auto max-w-md space-y-6">
      <h1 class="text-3xl font-bold">{t("me.title")}</h1>
      <Switch fallback={<p role="status">{tCommon("loading")}</p>}>
        <Match when={session()?.user.phone && session()?.user.id}>
          {(userId) => <MyPage userId={userId()} />}
        </Match>
        <Match when={sessionKnown()}>
          <p>{t("me.signInIntro")}</p>
          <PhoneSignIn />
        </Match>
      </Switch>
    </div>
  );
}
