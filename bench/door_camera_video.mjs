// A fake camera for the door bench: one Y4M video showing each attendee's QR code in turn
// (blank frames, then the code), with a black square in the top-left corner on every code frame
// so the page can tell the moment a new code is shown. Chromium plays the file as the camera.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const WIDTH = 320;
const HEIGHT = 240;
const FPS = 10;
const WHITE = 235;
const BLACK = 16;
export const MARKER = 16; // px: the square's side

/** Write the video for `tokens` (each shown `codeFrames` frames after `blankFrames` blank ones);
 * returns its path. */
export async function writeScanVideo(folder, frontend, tokens, { blankFrames = 5, codeFrames = 10 } = {}) {
  const { encode } = await import(join(frontend, "node_modules/uqr/dist/index.mjs"));
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const blank = Buffer.alloc(WIDTH * HEIGHT, WHITE);
  const parts = [Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F${FPS}:1 Ip A1:1 C420jpeg\n`)];
  const frame = (luma) => parts.push(Buffer.from("FRAME\n"), luma, chroma);
  for (const token of tokens) {
    const { data, size } = encode(token, { border: 4, ecc: "M" });
    const scale = Math.floor((HEIGHT * 0.8) / size);
    const left = Math.floor((WIDTH - size * scale) / 2);
    const top = Math.floor((HEIGHT - size * scale) / 2);
    const code = Buffer.alloc(WIDTH * HEIGHT, WHITE);
    for (let y = 0; y < MARKER; y += 1) code.fill(BLACK, y * WIDTH, y * WIDTH + MARKER);
    for (let row = 0; row < size; row += 1) {
      for (let column = 0; column < size; column += 1) {
        if (!data[row][column]) continue;
        for (let y = 0; y < scale; y += 1) {
          const start = (top + row * scale + y) * WIDTH + left + column * scale;
          code.fill(BLACK, start, start + scale);
        }
      }
    }
    for (let i = 0; i < blankFrames; i += 1) frame(blank);
    for (let i = 0; i < codeFrames; i += 1) frame(code);
  }
  const path = join(folder, "scans.y4m");
  writeFileSync(path, Buffer.concat(parts));
  return path;
}
