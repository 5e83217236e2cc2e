import { QueryClient } from "@tanstack/solid-query";
import { AppError, REFUSAL_CODES } from "./errors";

/** A refusal (not_allowed, unknown_event…) will not change on retry; a network blip might. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof AppError && (REFUSAL_CODES as readonly string[]).includes(error.code)) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}

/** Query keys name the table or RPC they read, so Realtime can invalidate by table. */
export const queryKeys = {
  staffLevel: (userId: string) => ["rpc", "my_staff_level", userId] as const,
  eventBySlug: (slug: string) => ["events", "by-slug", slug] as const,
  disclosures: () => ["consent_disclosures", "current"] as const,
  myContact: (userId: string) => ["contacts", "mine", userId] as const,
  myCheckIns: (userId: string) => ["check_ins", "mine", userId] as const,
  myConsents: (userId: string) => ["contact_consents", "mine", userId] as const,
};
