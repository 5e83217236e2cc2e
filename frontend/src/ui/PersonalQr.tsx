import { QrCode } from "@ark-ui/solid/qr-code";

/** An attendee's personal QR code (their qr_token), drawn locally as SVG (Ark QR code). */
export function PersonalQr(props: { token: string; label: string }) {
  return (
    <QrCode.Root value={props.token} encoding={{ ecc: "M" }} class="w-48">
      <QrCode.Frame role="img" aria-label={props.label} class="h-48 w-48 bg-white p-2">
        <QrCode.Pattern class="fill-black" />
      </QrCode.Frame>
    </QrCode.Root>
  );
}
