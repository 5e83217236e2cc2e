// The attendee's own page: sign in with the phone, see the personal QR and past check-ins,
// opt in to texts (with the disclosure shown), switch to Spanish, fix a wrong LinkedIn link,
// frame a photo as a square with the keyboard and upload it (with progress) in place of an older
// JPEG one, download the data, ask for deletion.
import { BASE_URL, ask, checkState, closeInput, emit, launch, phonePage } from "./browser.mjs";

const { PHONE_TYPED, PHONE_E164, EVENT_NAME, AVATAR_FILE } = process.env;

const browser = await launch();
try {
  const { page, outside } = await phonePage(browser);
  await page.goto(`${BASE_URL}/me`);
  await page.getByRole("heading", { name: "My profile" }).waitFor();
  await checkState(page, "signed-out");

  await page.getByLabel("Your mobile number").pressSequentially(PHONE_TYPED);
  await page.getByRole("button", { name: "Text me a code" }).click();
  const code = await ask({ need_code: PHONE_E164 });
  await page.getByRole("textbox").first().pressSequentially(code);
  await page.getByRole("img", { name: "Your personal QR code" }).waitFor();
  await page.getByText(EVENT_NAME).waitFor();
  await checkState(page, "my-page");

  const sms = page.getByRole("checkbox", { name: "Text me about events and news" });
  if (await sms.isChecked()) throw new Error("no opt-in was given yet");
  await sms.check();
  await page.getByText("Your choice was saved.").waitFor();
  await checkState(page, "consent-saved");

  await page.getByLabel("LinkedIn profile (optional)").fill("linkedin.com/me");
  await page.getByRole("button", { name: "Save profile" }).click();
  await page.getByText("Enter a LinkedIn link like https://linkedin.com/in/your-name.").waitFor();
  await checkState(page, "profile-errors");
  await page.getByLabel("LinkedIn profile (optional)").fill("https://linkedin.com/in/maria-web");
  await page.getByLabel("Short bio (optional)").fill("Builds things in Miami.");
  await page.getByRole("button", { name: "Save profile" }).click();
  await page.getByText("Your profile was saved.").waitFor();

  const progress = [];
  page.on("console", (message) => progress.push(message.text()));
  await page.getByLabel("Choose a photo (cropped to a square)").setInputFiles(AVATAR_FILE);
  // Framed with the keyboard alone: the arrow keys move the square, + zooms in.
  const frame = page.getByRole("slider", { name: "Square frame" });
  await frame.waitFor();
  const framedAt = await frame.getAttribute("aria-valuetext");
  await frame.focus();
  for (const key of ["ArrowRight", "ArrowRight", "ArrowDown", "+"]) await page.keyboard.press(key);
  const movedTo = await frame.getAttribute("aria-valuetext");
  await checkState(page, "avatar-crop");
  await page.getByRole("button", { name: "Use this photo" }).click();
  await page.getByText("Your new photo was saved.").waitFor();
  // The photo before (an older JPEG) is shown until the profile points at the new WebP.
  const avatar = page.getByRole("img", { name: "Your profile photo" }).and(page.locator('[src*="/avatar.webp"]'));
  await avatar.waitFor();
  const size = await avatar.evaluate((img) => img.decode().then(() => [img.naturalWidth, img.naturalHeight]));
  await checkState(page, "avatar-saved");

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download my data" }).click();
  const download = await downloadPromise;
  const exported = JSON.parse(await (await import("node:fs/promises")).readFile(await download.path(), "utf8"));

  await page.getByRole("combobox", { name: "Language for our messages" }).selectOption("es");
  await page.getByRole("heading", { name: "Mi perfil" }).waitFor();
  const htmlLang = await page.evaluate(() => document.documentElement.lang);
  await checkState(page, "spanish");

  await page.getByRole("button", { name: "Borrar mis datos" }).click();
  await page.getByRole("alertdialog", { name: "¿Borrar todos tus datos?" }).waitFor();
  await checkState(page, "erase-dialog");
  await page.getByRole("button", { name: "Sí, borrar mis datos" }).click();
  await page.getByText("Pediste borrar tus datos").waitFor();
  await checkState(page, "erase-requested");

  if (outside.length > 0) throw new Error(`requests left the machine: ${outside.join(", ")}`);
  emit({
    result: {
      avatar_size: size,
      frame_moved: framedAt !== movedTo,
      export_phone: exported.contact.phone,
      export_check_ins: exported.check_ins.length,
      html_lang: htmlLang,
    },
  });
} finally {
  closeInput();
  await browser.close();
}
