import { EMPTY_COMPOSER, effectiveMetric, evenWeights, fallbackChannel, nextVariantLabel, toSpec, winnerMetrics, zonedLocalToUtc } from "./spec";

describe("zonedLocalToUtc", () => {
  it("reads a wall-clock time in the organisation's zone, across daylight saving", () => {
    expect(zonedLocalToUtc("2026-12-01T18:00", "America/New_York").toISOString()).toBe("2026-12-01T23:00:00.000Z");
    expect(zonedLocalToUtc("2026-07-01T18:00", "America/New_York").toISOString()).toBe("2026-07-01T22:00:00.000Z");
    expect(zonedLocalToUtc("2026-03-08T12:00", "America/New_York").toISOString()).toBe("2026-03-08T16:00:00.000Z");
    expect(zonedLocalToUtc("2026-12-01T18:00", "Europe/Madrid").toISOString()).toBe("2026-12-01T17:00:00.000Z");
  });
});

describe("variants", () => {
  it("split 100 evenly and name themselves A, B, C", () => {
    expect(evenWeights(3)).toEqual([34, 33, 33]);
    expect(evenWeights(2)).toEqual([50, 50]);
    expect(nextVariantLabel([{ label: "A", templateId: "", weight: 50 }])).toBe("B");
  });
});

describe("toSpec", () => {
  it("builds create_blast's spec for an SMS A/B test, scheduled in the org's zone", () => {
    const spec = toSpec(
      {
        ...EMPTY_COMPOSER,
        name: " Spring ",
        segmentId: "seg",
        smsSenderId: "snd",
        smsTemplateId: "ignored-with-variants",
        smsVariants: [
          { label: "A", templateId: "ta", weight: 60 },
          { label: "B", templateId: "tb", weight: 40 },
        ],
        sendAtLocal: "2026-12-01T18:00",
      },
      "America/New_York",
    );
    expect(spec).toEqual({
      name: "Spring",
      channel: "sms",
      segment_id: "seg",
      auto_pause: true,
      sms_sender_id: "snd",
      variants: [
        { channel: "sms", label: "A", template_id: "ta", weight: 60 },
        { channel: "sms", label: "B", template_id: "tb", weight: 40 },
      ],
      scheduled_at: "2026-12-01T23:00:00.000Z",
    });
  });

  it("sends the winner settings only when they are asked for and there are two variants", () => {
    const winner = { ...EMPTY_COMPOSER.winner, enabled: true };
    const twoVariants = [
      { label: "A", templateId: "ta", weight: 50 },
      { label: "B", templateId: "tb", weight: 50 },
    ];
    expect(toSpec({ ...EMPTY_COMPOSER, name: "x", smsVariants: twoVariants, winner }, "UTC").winner).toEqual({
      test_percent: 20,
      min_per_variant: 100,
      decide_after_minutes: 240,
      metric: "reply_rate",
    });
    expect(toSpec({ ...EMPTY_COMPOSER, name: "x", smsVariants: twoVariants }, "UTC").winner).toBeUndefined();
    expect(toSpec({ ...EMPTY_COMPOSER, name: "x", winner }, "UTC").winner).toBeUndefined();
    expect(toSpec({ ...EMPTY_COMPOSER, name: "x", channel: "email", smsVariants: twoVariants, winner }, "UTC").winner).toBeUndefined();
  });

  it("leaves out what was not chosen so the database names it", () => {
    expect(toSpec({ ...EMPTY_COMPOSER, name: "x", channel: "both" }, "UTC")).toEqual({
      name: "x",
      channel: "both",
      auto_pause: true,
    });
  });

  it("sends email variants instead of the email template", () => {
    const emailVariants = [
      { label: "A", templateId: "ea", weight: 50 },
      { label: "B", templateId: "eb", weight: 50 },
    ];
    expect(toSpec({ ...EMPTY_COMPOSER, name: "x", channel: "email", emailTemplateId: "ignored", emailVariants }, "UTC").variants).toEqual([
      { channel: "email", label: "A", template_id: "ea", weight: 50 },
      { channel: "email", label: "B", template_id: "eb", weight: 50 },
    ]);
  });
});

describe("winner metrics", () => {
  const two = [
    { label: "A", templateId: "a", weight: 50 },
    { label: "B", templateId: "b", weight: 50 },
  ];
  const sms = { ...EMPTY_COMPOSER, channel: "sms" as const, smsVariants: two };
  const email = { ...EMPTY_COMPOSER, channel: "email" as const, emailVariants: two };
  const both = { ...EMPTY_COMPOSER, channel: "both" as const, smsVariants: two, emailVariants: two };

  it("offer replies for texts, opens and clicks for emails, delivery for both", () => {
    expect(winnerMetrics(sms)).toEqual(["reply_rate", "delivery_rate"]);
    expect(winnerMetrics(email)).toEqual(["open_rate", "click_rate", "delivery_rate"]);
    expect(winnerMetrics(both)).toEqual(["reply_rate", "open_rate", "click_rate", "delivery_rate"]);
    // Email variants on a text-only blast are not sent, so they offer nothing.
    expect(winnerMetrics({ ...email, channel: "sms" })).toEqual(["delivery_rate"]);
  });

  it("keep the chosen metric only while it fits", () => {
    expect(effectiveMetric({ ...email, winner: { ...email.winner, metric: "click_rate" } })).toBe("click_rate");
    expect(effectiveMetric({ ...email, winner: { ...email.winner, metric: "reply_rate" } })).toBe("open_rate");
    expect(toSpec({ ...email, name: "x", winner: { ...email.winner, enabled: true } }, "UTC").winner?.metric).toBe("open_rate");
  });

  it("name the channel that falls back to delivery rate", () => {
    expect(fallbackChannel(both, "open_rate")).toBe("sms");
    expect(fallbackChannel(both, "click_rate")).toBe("sms");
    expect(fallbackChannel(both, "reply_rate")).toBe("email");
    expect(fallbackChannel(both, "delivery_rate")).toBeNull();
    expect(fallbackChannel(email, "open_rate")).toBeNull();
    expect(fallbackChannel(sms, "reply_rate")).toBeNull();
  });
});
