// Flow 1 as an attendee lives it on their phone: the venue poster's URL /e/<slug> → phone number
// → the code texted to it (pytest reads it from the provider simulator) → first-timer form with
// an SMS opt-in → "You're checked in" with the personal QR code → reload: already checked in.
// In English or Spanish (LANG), switching language on the first screen as a visitor would.
import { BASE_URL, ask, checkState, closeInput, emit, launch, phonePage } from "./browser.mjs";

const { EVENT_SLUG, EVENT_NAME, PHONE_TYPED, PHONE_E164, FIRST_NAME } = process.env;
const LANG = process.env.LANG_UNDER_TEST ?? "en";

const TEXT = {
  en: {
    sendCode: "Text me a code",
    phoneLabel: "Your mobile number",
    phoneInvalid: "Enter a mobile number like (305) 555-0123.",
    codeTitle: "Enter the code",
    wrongCode: "That code is wrong or has expired.",
    registerTitle: "Nice to meet you!",
    firstName: "First name",
    firstNameRequired: "Please enter your first name.",
    pronouns: "Pronouns (optional)",
    company: "Company or school (optional)",
    smsOptIn: "Text me about events and news",
    submit: "Check me in",
    checkedIn: "You're checked in!",
    already: "You're already checked in",
    alreadyAt: "You checked in at",
    qr: "Your personal QR code",
    printing: "Your name tag is printing",
  },
  es: {
    sendCode: "Envíame un código",
    phoneLabel: "Tu número de celular",
    phoneInvalid: "Escribe un número de celular como (305) 555-0123.",
    codeTitle: "Escribe el código",
    wrongCode: "Ese código no es correcto o ya venció.",
    registerTitle: "¡Mucho gusto!",
    firstName: "Nombre",
    firstNameRequired: "Escribe tu nombre, por favor.",
    pronouns: "Pronombres (opcional)",
    company: "Empresa o escuela (opcional)",
    smsOptIn: "Envíenme mensajes de texto sobre eventos y noticias",
    submit: "Registrar mi entrada",
    checkedIn: "¡Ya estás registrado!",
    already: "Ya estabas registrado",
    alreadyAt: "Registraste tu entrada a las",
    qr: "Tu código QR personal",
    printing: "Tu etiqueta se está imprimiendo",
  },
}[LANG];

const browser = await launch();
try {
  const { page, outside } = await phonePage(browser);
  const started = Date.now();
  await page.goto(`${BASE_URL}/e/${EVENT_SLUG}`);
  await page.getByRole("heading", { name: EVENT_NAME }).waitFor();
  const firstPaintMs = Date.now() - started;
  if (LANG === "es") {
    await page.getByRole("button", { name: "Español" }).click();
    await page.getByRole("button", { name: TEXT.sendCode }).waitFor();
  }
  const htmlLang = await page.evaluate(() => document.documentElement.lang);
  if (htmlLang !== LANG) throw new Error(`<html lang> is ${htmlLang}, expected ${LANG}`);
  await checkState(page, "phone");

  await page.getByRole("button", { name: TEXT.sendCode }).click();
  await page.getByText(TEXT.phoneInvalid).waitFor();
  await checkState(page, "phone-invalid");

  const phone = page.getByLabel(TEXT.phoneLabel);
  await phone.pressSequentially(PHONE_TYPED);
  const shown = await phone.inputValue();
  await page.getByRole("button", { name: TEXT.sendCode }).click();
  await page.getByRole("heading", { name: TEXT.codeTitle }).waitFor();
  await checkState(page, "code");

  const code = await ask({ need_code: PHONE_E164 });
  const wrong = code === "000000" ? "111111" : "000000";
  await page.getByRole("textbox").first().pressSequentially(wrong);
  await page.getByRole("alert").getByText(TEXT.wrongCode).waitFor();
  await checkState(page, "code-wrong");

  const verifyStarted = Date.now();
  await page.getByRole("textbox").first().pressSequentially(code);
  await page.getByRole("heading", { name: TEXT.registerTitle }).waitFor();
  const verifyToFormMs = Date.now() - verifyStarted;
  await checkState(page, "register");

  await page.getByRole("button", { name: TEXT.submit }).click();
  await page.getByText(TEXT.firstNameRequired).waitFor();
  await checkState(page, "register-errors");

  await page.getByLabel(TEXT.firstName, { exact: true }).fill(FIRST_NAME);
  await page.getByLabel(TEXT.pronouns).fill("she/her");
  await page.getByLabel(TEXT.company).fill("Hello Labs");
  const smsOptIn = page.getByRole("checkbox", { name: TEXT.smsOptIn });
  if (await smsOptIn.isChecked()) throw new Error("the SMS opt-in must start unticked");
  await smsOptIn.check();
  const submitStarted = Date.now();
  await page.getByRole("button", { name: TEXT.submit }).click();
  await page.getByRole("heading", { name: TEXT.checkedIn }).waitFor();
  const registerToCheckedInMs = Date.now() - submitStarted;
  await page.getByRole("img", { name: TEXT.qr }).waitFor();
  await page.getByText(TEXT.printing).waitFor();
  await checkState(page, "checked-in");

  // The QR poster opened again later: the session is remembered, the check-in is not repeated.
  await page.reload();
  await page.getByRole("heading", { name: TEXT.already }).waitFor();
  const alreadyLine = await page.getByText(TEXT.alreadyAt).textContent();
  await checkState(page, "already-checked-in");

  if (outside.length > 0) throw new Error(`requests left the machine: ${outside.join(", ")}`);
  emit({
    result: {
      phone_shown: shown,
      first_paint_ms: firstPaintMs,
      verify_to_form_ms: verifyToFormMs,
      register_to_checked_in_ms: registerToCheckedInMs,
      already_line: alreadyLine,
    },
  });
} finally {
  closeInput();
  await browser.close();
}
