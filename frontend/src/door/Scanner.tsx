import { createSignal, For, onCleanup, Show } from "solid-js";
import { Button } from "../ui/Button";
import { pickCamera, rememberCamera, rememberedCamera } from "./device-choice";
import { unlockSound } from "./feedback";
import type { QrDetector } from "./qr-detector";
import { t } from "./t";

// A badge held in front of the camera is seen many times a second: the same code again within
// this window is the same scan, not a new one.
const SAME_SCAN_MS = 4000;
const FRAME_INTERVAL_MS = 80;

interface Camera {
  deviceId: string;
  label: string;
}

/** The camera (back camera by default, last choice remembered) and the code field that USB and
 * Bluetooth scanners type into, ending with Enter. Both hand a scanned code to `onCode`. */
export function Scanner(props: { onCode: (code: string) => void }) {
  const [state, setState] = createSignal<"off" | "starting" | "on" | "denied">("off");
  const [cameras, setCameras] = createSignal<Camera[]>([]);
  const [cameraId, setCameraId] = createSignal<string | null>(rememberedCamera());
  const [typed, setTyped] = createSignal("");
  let video: HTMLVideoElement | undefined;
  let stream: MediaStream | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = { code: "", at: 0 };

  const report = (code: string) => {
    const now = Date.now();
    if (code === last.code && now - last.at < SAME_SCAN_MS) return;
    last = { code, at: now };
    props.onCode(code);
  };

  const isRunning = () => stream !== undefined;

  const stop = () => {
    clearTimeout(timer);
    stream?.getTracks().forEach((track) => {
      track.stop();
    });
    stream = undefined;
    setState("off");
  };
  onCleanup(stop);

  const scanFrames = (detector: QrDetector) => {
    const step = async () => {
      if (!video || !stream) return;
      try {
        const code = video.readyState >= 2 ? await detector.detect(video) : null;
        if (code) report(code);
      } catch (error) {
        console.error("QR detection failed on a frame", error);
      }
      if (isRunning()) timer = setTimeout(() => void step(), FRAME_INTERVAL_MS);
    };
    void step();
  };

  const start = async () => {
    unlockSound();
    setState("starting");
    try {
      const [{ createQrDetector }, media] = await Promise.all([
        import("./qr-detector"),
        navigator.mediaDevices.getUserMedia({
          video: cameraId() ? { deviceId: { exact: cameraId() ?? "" } } : { facingMode: { ideal: "environment" } },
          audio: false,
        }),
      ]);
      stream = media;
      const listed = (await navigator.mediaDevices.enumerateDevices())
        .filter((device) => device.kind === "videoinput")
        .map((device, index) => ({ deviceId: device.deviceId, label: device.label || `${t("scan.camera")} ${index + 1}` }));
      setCameras(listed);
      const preferred = pickCamera(listed, cameraId());
      const current = media.getVideoTracks()[0]?.getSettings().deviceId ?? null;
      if (preferred && current && preferred !== current) {
        // The browser opened another camera than the back/remembered one: switch once.
        stop();
        setCameraId(preferred);
        await start();
        return;
      }
      setCameraId(current);
      if (video) {
        video.srcObject = media;
        await video.play();
      }
      setState("on");
      scanFrames(createQrDetector());
    } catch (error) {
      console.error("Camera did not start", error);
      stop();
      setState("denied");
    }
  };

  const chooseCamera = async (deviceId: string) => {
    rememberCamera(deviceId);
    setCameraId(deviceId);
    stop();
    await start();
  };

  return (
    <section aria-labelledby="scan-title" class="space-y-3">
      <h2 id="scan-title" class="text-xl font-bold">
        {t("scan.title")}
      </h2>
      <div class="flex flex-wrap items-end gap-3">
        <Show
          when={state() === "on"}
          fallback={
            <Button onClick={() => void start()} disabled={state() === "starting"}>
              {state() === "starting" ? t("scan.loading") : t("scan.start")}
            </Button>
          }
        >
          <Button variant="secondary" onClick={stop}>
            {t("scan.stop")}
          </Button>
        </Show>
        <Show when={cameras().length > 1}>
          <div class="flex flex-col gap-1">
            <label for="door-camera" class="font-medium">
              {t("scan.camera")}
            </label>
            <select
              id="door-camera"
              class="min-h-12 rounded-lg border border-stone-500 bg-white px-3"
              value={cameraId() ?? ""}
              onChange={(event) => void chooseCamera(event.currentTarget.value)}
            >
              <For each={cameras()}>{(camera) => <option value={camera.deviceId}>{camera.label}</option>}</For>
            </select>
          </div>
        </Show>
      </div>
      <Show when={state() === "denied"}>
        <p role="alert" class="rounded-lg border border-amber-700 bg-amber-50 p-3 text-amber-950">
          {t("scan.denied")}
        </p>
      </Show>
      <video
        ref={video}
        class="aspect-video w-full max-w-md rounded-lg bg-stone-900"
        classList={{ hidden: state() !== "on" }}
        playsinline
        muted
        aria-hidden="true"
      />
      <form
        class="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const code = typed().trim();
          setTyped("");
          if (code) props.onCode(code);
        }}
      >
        <div class="flex grow flex-col gap-1">
          <label for="door-code" class="font-medium">
            {t("scan.codeLabel")}
          </label>
          <input
            id="door-code"
            name="code"
            autocomplete="off"
            class="min-h-12 rounded-lg border border-stone-500 px-3 text-lg"
            value={typed()}
            onInput={(event) => setTyped(event.currentTarget.value)}
          />
        </div>
        <Button type="submit" variant="secondary">
          {t("scan.codeSubmit")}
        </Button>
      </form>
    </section>
  );
}
