import { EMPTY_COMPOSER, evenWeights, nextVariantLabel, toSpec, zonedLocalToUtc } from "./spec";

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
});
