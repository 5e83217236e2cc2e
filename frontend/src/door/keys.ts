/** Query keys of the door, named after the table or RPC they read so Realtime can invalidate. */
export const doorKeys = {
  event: (slug: string) => ["events", "door", slug] as const,
  stations: (eventId: string) => ["event_print_stations", eventId] as const,
  count: (eventId: string) => ["check_ins", "count", eventId] as const,
  lookup: (eventId: string, query: string) => ["rpc", "find_attendees", eventId, query] as const,
  reprintsLeft: (checkInId: string) => ["print_jobs", "reprints_left", checkInId] as const,
  stuck: (eventId: string) => ["print_jobs", "stuck", eventId] as const,
};
