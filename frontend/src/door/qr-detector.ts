// Loaded lazily (import()) by the door's scanner: barcode-detector and its zxing wasm are the
// heaviest part of the door and are needed only once the camera starts.
import { BarcodeDetector, prepareZXingModule } from "barcode-detector/ponyfill";
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";

// The wasm comes from our own build (a hashed asset the browser caches), never from the CDN
// zxing-wasm would fetch it from by default.
prepareZXingModule({
  overrides: {
    locateFile: (path: string, prefix: string) => (path.endsWith(".wasm") ? wasmUrl : prefix + path),
  },
});

export interface QrDetector {
  /** The text of the first QR code in the frame, or null. */
  detect(source: HTMLVideoElement): Promise<string | null>;
}

/** A QR detector: the browser's own where it has one (Android Chrome), else zxing in wasm. */
export function createQrDetector(): QrDetector {
  const detector = new BarcodeDetector({ formats: ["qr_code"] });
  return {
    async detect(source) {
      const codes = await detector.detect(source);
      return codes[0]?.rawValue ?? null;
    },
  };
}
