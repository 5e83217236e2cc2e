import { AuthApiError } from "@supabase/supabase-js";
import { AppError, REFUSAL_CODES, errorCode, throwIfError } from "./errors";
import { errorMessages } from "./i18n/error-messages";

describe("errorCode", () => {
  it("reads a SQL refusal from a PostgREST error (P0001, message = code)", () => {
    const error = { code: "P0001", message: "not_open", details: "Check-in for this event is not open now.", hint: null };
    expect(errorCode(error)).toBe("not_open");
  });

  it("reads a malformed-argument refusal (22023, message = code) the same way", () => {
    expect(errorCode({ code: "22023", message: "invalid_blast_spec", details: "Unknown fields: x", hint: null })).toBe(
      "invalid_blast_spec",
    );
    expect(errorCode({ code: "22023", message: "some other bad value" })).toBe("unexpected");
  });

  it("never passes an unknown P0001 message through", () => {
    expect(errorCode({ code: "P0001", message: "Some raw text from SQL", details: null, hint: null })).toBe(
      "unexpected",
    );
  });

  it("maps permission errors, expired sessions and Auth codes", () => {
    expect(errorCode({ code: "42501", message: "permission denied for table contacts" })).toBe("not_allowed");
    expect(errorCode({ code: "PGRST301", message: "JWT expired" })).toBe("session_expired");
    expect(errorCode(new AuthApiError("Invalid login credentials", 400, "invalid_credentials"))).toBe(
      "invalid_credentials",
    );
    expect(errorCode(new AuthApiError("For security purposes…", 429, "over_sms_send_rate_limit"))).toBe(
      "over_sms_send_rate_limit",
    );
    expect(errorCode(new AuthApiError("Token has expired or is invalid", 403, "otp_expired"))).toBe("otp_expired");
  });

  it("calls a violated check constraint or malformed input invalid_argument", () => {
    expect(errorCode({ code: "23514", message: 'new row violates check constraint "senders_mps_segments_check"' })).toBe(
      "invalid_argument",
    );
    expect(errorCode({ code: "22P02", message: 'invalid input syntax for type numeric: "abc"' })).toBe("invalid_argument");
  });

  it("calls a violated unique constraint a duplicate", () => {
    expect(errorCode({ code: "23505", message: 'duplicate key value violates unique constraint "senders_name_key"' })).toBe(
      "duplicate",
    );
  });

  it("calls a failed fetch a network problem", () => {
    expect(errorCode(new TypeError("Failed to fetch"))).toBe("network");
    expect(errorCode({ message: "TypeError: NetworkError when attempting to fetch resource." })).toBe("network");
  });

  it("keeps an AppError's code and throws one for a result's error", () => {
    expect(errorCode(new AppError("reprint_limit"))).toBe("reprint_limit");
    expect(() => {
      throwIfError({ code: "P0001", message: "unknown_event" });
    }).toThrow(AppError);
    expect(() => {
      throwIfError(null);
    }).not.toThrow();
  });
});

describe("error messages", () => {
  it("has a sentence in English and Spanish for every refusal code, different per language", () => {
    for (const code of REFUSAL_CODES) {
      expect(errorMessages.en[code]).toMatch(/\w/);
      expect(errorMessages.es[code]).toMatch(/\w/);
      expect(errorMessages.es[code]).not.toBe(errorMessages.en[code]);
    }
  });
});
