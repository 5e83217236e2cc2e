/** Choices a door device keeps between visits (its print station per event, its camera). */
const stationKey = (eventId: string) => `hm-door-station:${eventId}`;
const CAMERA_KEY = "hm-door-camera";

export function rememberedStation(eventId: string): string | null {
  return localStorage.getItem(stationKey(eventId));
}

export function rememberStation(eventId: string, stationId: string): void {
  localStorage.setItem(stationKey(eventId), stationId);
}

export function rememberedCamera(): string | null {
  return localStorage.getItem(CAMERA_KEY);
}

export function rememberCamera(deviceId: string): void {
  localStorage.setItem(CAMERA_KEY, deviceId);
}

/** The station to use: the remembered one while it still prints for the event, else the first. */
export function pickStation(stationIds: readonly string[], remembered: string | null): string | null {
  if (remembered && stationIds.includes(remembered)) return remembered;
  return stationIds[0] ?? null;
}

/** The camera to open: the last one chosen if still present, else one labelled as facing back
 * (a phone's rear camera), else none (the browser's default with facingMode "environment"). */
export function pickCamera(cameras: readonly { deviceId: string; label: string }[], remembered: string | null): string | null {
  if (remembered && cameras.some((camera) => camera.deviceId === remembered)) return remembered;
  return cameras.find((camera) => /back|rear|environment|trasera/i.test(camera.label))?.deviceId ?? null;
}
