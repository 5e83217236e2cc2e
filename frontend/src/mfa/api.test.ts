import { beforeEach, describe, expect, it, vi } from "vitest";
import { startEnrolment, verifyCode } from "./api";

const mfa = {
  listFactors: vi.fn(),
  unenroll: vi.fn(),
  enroll: vi.fn(),
  challengeAndVerify: vi.fn(),
};
const realtime = { setAuth: vi.fn() };

vi.mock("../lib/supabase", () => ({ supabase: () => ({ auth: { mfa }, realtime }) }));

const factor = (id: string, status: "verified" | "unverified") => ({ id, status, factor_type: "totp" });

describe("two-factor API", () => {
  beforeEach(() => {
    vi.resetAllMocks();
  });

  it("removes an abandoned enrolment before starting a new one (Auth refuses a second factor with the same name)", async () => {
    mfa.listFactors.mockResolvedValue({ data: { all: [factor("old", "unverified")], totp: [] }, error: null });
    mfa.unenroll.mockResolvedValue({ data: { id: "old" }, error: null });
    mfa.enroll.mockResolvedValue({
      data: { id: "new", type: "totp", totp: { qr_code: "data:image/svg+xml;utf-8,<svg/>", secret: "ABC", uri: "otpauth://" } },
      error: null,
    });
    await expect(startEnrolment("Authenticator app")).resolves.toEqual({
      factorId: "new",
      qrCode: "data:image/svg+xml;utf-8,<svg/>",
      secret: "ABC",
    });
    expect(mfa.unenroll).toHaveBeenCalledWith({ factorId: "old" });
    expect(mfa.enroll).toHaveBeenCalledWith({ factorType: "totp", friendlyName: "Authenticator app" });
  });

  it("hands Realtime the aal2 token once a code is verified", async () => {
    mfa.challengeAndVerify.mockResolvedValue({ data: { access_token: "aal2-token" }, error: null });
    await verifyCode("factor", "123456");
    expect(realtime.setAuth).toHaveBeenCalledWith("aal2-token");
  });

  it("turns Auth's refusal of a wrong code into its error code", async () => {
    mfa.challengeAndVerify.mockResolvedValue({
      data: null,
      error: { code: "mfa_verification_failed", status: 422, message: "Invalid TOTP code entered" },
    });
    await expect(verifyCode("factor", "000000")).rejects.toMatchObject({ code: "mfa_verification_failed" });
    expect(realtime.setAuth).not.toHaveBeenCalled();
  });
});
