/** The largest centred square of an image, scaled to at most `size` px, as a PNG. */
export function squareCrop(width: number, height: number, size: number) {
  const side = Math.min(width, height);
  return {
    sx: Math.round((width - side) / 2),
    sy: Math.round((height - side) / 2),
    side,
    output: Math.min(side, size),
  };
}

export async function cropToSquare(file: Blob, size = 512): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  const crop = squareCrop(bitmap.width, bitmap.height, size);
  const canvas = document.createElement("canvas");
  canvas.width = crop.output;
  canvas.height = crop.output;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("This browser cannot draw images.");
  context.drawImage(bitmap, crop.sx, crop.sy, crop.side, crop.side, 0, 0, crop.output, crop.output);
  bitmap.close();
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (blob) resolve(blob);
      else reject(new Error("The image could not be encoded."));
    }, "image/png");
  });
}
