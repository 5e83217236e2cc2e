import { ImageCropper, useImageCropper } from "@ark-ui/solid/image-cropper";
import { createSignal, For, onCleanup, untrack } from "solid-js";
import { Button } from "../ui/Button";
import { notifyError } from "../ui/notifications";
import { AVATAR_MAX_PX, encodeAvatar, MAX_ZOOM } from "./avatar";
import { t } from "./t";

const CORNERS = ["nw", "ne", "se", "sw"] as const;

/**
 * Frame a photo as a square before it is uploaded: drag or arrow keys move the square, Alt +
 * arrows resize it, + and − (or the slider) zoom. Ark's image cropper (already part of the Ark
 * UI dependency) does the geometry and the keyboard; this file only labels it in both languages
 * and hands back the framed square, at most AVATAR_MAX_PX wide, as WebP (JPEG where a browser
 * cannot encode WebP). Loaded only once someone picks a photo.
 */
export default function AvatarCropper(props: { file: Blob; onCancel: () => void; onCropped: (image: Blob) => void }) {
  // The picked file is fixed for this cropper's life (a new pick mounts a new one).
  const source = URL.createObjectURL(untrack(() => props.file));
  onCleanup(() => {
    URL.revokeObjectURL(source);
  });
  const cropper = useImageCropper(() => ({
    aspectRatio: 1,
    maxZoom: MAX_ZOOM,
    translations: {
      rootLabel: t("me.crop.area"),
      rootRoleDescription: t("me.crop.areaRole"),
      previewLoading: t("me.crop.loading"),
      previewDescription: ({ zoom }) => t("me.crop.zoomed", { zoom: (zoom ?? 1).toFixed(1) }),
      selectionLabel: () => t("me.crop.selection"),
      selectionRoleDescription: t("me.crop.selectionRole"),
      selectionInstructions: t("me.crop.help"),
      selectionValueText: ({ x, y, width }) => t("me.crop.position", { x, y, size: width }),
    },
  }));
  const [busy, setBusy] = createSignal(false);
  const use = async () => {
    setBusy(true);
    try {
      const image = await encodeAvatar(async (type) => {
        const cropped = await cropper().getCroppedImage({
          type,
          quality: 0.9,
          maxSize: { width: AVATAR_MAX_PX, height: AVATAR_MAX_PX },
        });
        return cropped instanceof Blob ? cropped : null;
      });
      props.onCropped(image);
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="crop-title" class="w-full space-y-3">
      <h3 id="crop-title" class="font-semibold">
        {t("me.crop.title")}
      </h3>
      <p class="text-sm text-stone-700">
        {t("me.crop.help")}
      </p>
      <ImageCropper.RootProvider value={cropper} class="max-w-sm">
        <ImageCropper.Viewport class="bg-stone-900">
          <ImageCropper.Image src={source} class="block h-auto w-full" />
          <ImageCropper.Selection class="border-2 border-white shadow-[0_0_0_9999px_rgb(0_0_0/0.55)] focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-teal-400">
            <For each={CORNERS}>
              {(corner) => <ImageCropper.Handle position={corner} class="size-4 rounded-sm border-2 border-teal-700 bg-white" />}
            </For>
          </ImageCropper.Selection>
        </ImageCropper.Viewport>
      </ImageCropper.RootProvider>
      <div class="flex max-w-sm flex-col gap-1">
        <label for="crop-zoom" class="font-medium">
          {t("me.crop.zoom")}
        </label>
        <input
          id="crop-zoom"
          type="range"
          min="1"
          max={MAX_ZOOM}
          step="0.1"
          value={cropper().zoom}
          aria-valuetext={t("me.crop.zoomed", { zoom: cropper().zoom.toFixed(1) })}
          onInput={(event) => {
            cropper().setZoom(Number(event.currentTarget.value));
          }}
        />
      </div>
      <div class="flex flex-wrap gap-2">
        <Button disabled={busy()} onClick={() => void use()}>
          {t("me.crop.use")}
        </Button>
        <Button variant="secondary" disabled={busy()} onClick={() => { props.onCancel(); }}>
          {t("me.crop.cancel")}
        </Button>
      </div>
    </section>
  );
}
