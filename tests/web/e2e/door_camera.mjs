// A fake camera for Chromium: a Y4M video of a QR code, written from the code's module matrix
// (uqr, the encoder the SPA's QR component uses). Chromium loops the file.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const WIDTH = 640;
const HEIGHT = 480;
const WHITE = 235;
const BLACK = 16;

/** Write a Y4M file: `blankFrames` empty frames (a badge shown late), then `codeFrames` of the
 * QR code for `text`. Returns the file's path. */
export async function writeQrVideo(folder, text, { blankFrames = 15, codeFrames = 45 } = {}) {
  const { encode } = await import(join(process.env.FRONTEND, "node_modules/uqr/dist/index.mjs"));
  const { data, size } = encode(text, { border: 4, ecc: "M" });
  const scale = Math.floor(Math.min(WIDTH, HEIGHT) * 0.8 / size);
  const left = Math.floor((WIDTH - size * scale) / 2);
  const top = Math.floor((HEIGHT - size * scale) / 2);

  const blank = Buffer.alloc(WIDTH * HEIGHT, WHITE);
  const code = Buffer.alloc(WIDTH * HEIGHT, WHITE);
  for (let row = 0; row < size; row += 1) {
    for (let column = 0; column < size; column += 1) {
      if (!data[row][column]) continue;
      for (let y = 0; y < scale; y += 1) {
        const start = (top + row * scale + y) * WIDTH + left + column * scale;
        code.fill(BLACK, start, start + scale);
      }
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F30:1 Ip A1:1 C420jpeg\n`);
  const frame = (luma) => [Buffer.from("FRAME\n"), luma, chroma];
  const parts = [header];
  for (let i = 0; i < blankFrames; i += 1) parts.push(...frame(blank));
  for (let i = 0; i < codeFrames; i += 1) parts.push(...frame(code));
  const path = join(folder, "qr.y4m");
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

export function fakeCameraFlags(video) {
  return ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${video}`];
}
