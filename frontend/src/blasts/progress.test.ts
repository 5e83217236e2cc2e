import { addSample, etaSeconds, progressOf, progressRefetchMs, rateOf, SENDING_REFETCH_MS } from "./progress";

const blast = {
  recipients_total: 1030,
  sent_count: 400,
  delivered_count: 350,
  failed_count: 7,
  skipped_count: 5,
  opted_out_count: 2,
  status: "sending" as const,
};

describe("progressOf", () => {
  it("counts what is left to send", () => {
    expect(progressOf(blast)).toMatchObject({ total: 1030, handled: 412, toSend: 618, percent: 40 });
  });

  it("never reaches nothing-to-send by arithmetic while sending, and is done only when the database says so", () => {
    const finishing = progressOf({ ...blast, sent_count: 1018 });
    expect(finishing.toSend).toBe(0);
    expect(progressOf({ ...blast, status: "completed" }).toSend).toBe(0);
    expect(progressOf({ ...blast, status: "paused" }).toSend).toBe(618);
  });

  it("handles an empty blast", () => {
    expect(progressOf({ ...blast, recipients_total: 0, sent_count: 0, failed_count: 0, skipped_count: 0 }).percent).toBe(0);
  });
});

describe("rate and ETA", () => {
  it("measures recipients per second over the recent window", () => {
    let samples = addSample([], { at: 0, handled: 0 });
    samples = addSample(samples, { at: 5000, handled: 500 });
    samples = addSample(samples, { at: 10_000, handled: 1000 });
    expect(rateOf(samples)).toBe(100);
    expect(etaSeconds(618, rateOf(samples))).toBe(7);
  });

  it("knows no rate from one sample or a stalled blast", () => {
    expect(rateOf([{ at: 0, handled: 3 }])).toBeNull();
    expect(etaSeconds(10, 0)).toBeNull();
  });

  it("keeps a minute of samples and skips repeats", () => {
    const samples = addSample(
      addSample([{ at: 0, handled: 1 }], { at: 70_000, handled: 5 }),
      { at: 71_000, handled: 5 },
    );
    expect(samples).toEqual([{ at: 70_000, handled: 5 }]);
  });
});

describe("the page's polling", () => {
  it("rereads the blast each second while it sends, never otherwise", () => {
    expect(progressRefetchMs("sending")).toBe(SENDING_REFETCH_MS);
    for (const status of ["draft", "scheduled", "paused", "completed", "cancelled", undefined] as const) {
      expect(progressRefetchMs(status)).toBe(false);
    }
  });
});
