// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { setLocale } from "../lib/i18n";
import {
  closeSentence,
  conversationsToLookAt,
  insertReply,
  isMediaKey,
  matchingReplies,
  neighbour,
  noticesToAnnounce,
  outboundPath,
  replyBlock,
  shortcutFor,
  slashTokenAt,
  staffName,
  assignableStaff,
  suggestShortcut,
  type StaffMember,
} from "./logic";
import { t } from "./t";

const replies = [
  { id: "1", shortcut: "hours-late", body: "We stay open until 10pm." },
  { id: "2", shortcut: "hours", body: "Doors open at 6pm." },
  { id: "3", shortcut: "parking", body: "Park on 2nd Ave." },
];

describe("canned replies", () => {
  it("finds the /shortcut being typed at the caret", () => {
    expect(slashTokenAt("Hi! /ho", 7)).toEqual({ query: "ho", start: 4 });
    expect(slashTokenAt("/", 1)).toEqual({ query: "", start: 0 });
    expect(slashTokenAt("see https://a.b/c", 17)).toBeNull();
    expect(slashTokenAt("Hi /ho there", 12)).toBeNull();
  });

  it("lists matching replies, the exact shortcut first", () => {
    expect(matchingReplies(replies, "hours").map((r) => r.shortcut)).toEqual(["hours", "hours-late"]);
    expect(matchingReplies(replies, "").length).toBe(3);
    expect(matchingReplies(replies, "zzz")).toEqual([]);
  });

  it("replaces the token with the reply and puts the caret after it", () => {
    const text = "Hi! /ho thanks";
    const token = slashTokenAt(text, 7);
    expect(token).not.toBeNull();
    if (token && replies[1]) {
      expect(insertReply(text, token, replies[1])).toEqual({ text: "Hi! Doors open at 6pm. thanks", caret: 22 });
    }
  });

  it("suggests a shortcut from a message in the database's alphabet", () => {
    expect(suggestShortcut("¿Dónde está el parqueo?")).toBe("donde-esta-el");
    expect(suggestShortcut("!!!")).toBe("reply");
  });
});

describe("keyboard shortcuts", () => {
  const plain = { altKey: false, ctrlKey: false, metaKey: false };
  it("maps j, k, r and c outside fields", () => {
    expect(shortcutFor({ ...plain, key: "j" }, null)).toBe("next");
    expect(shortcutFor({ ...plain, key: "k" }, null)).toBe("previous");
    expect(shortcutFor({ ...plain, key: "r" }, null)).toBe("reply");
    expect(shortcutFor({ ...plain, key: "c" }, null)).toBe("close");
    expect(shortcutFor({ ...plain, key: "x" }, null)).toBeNull();
  });
  it("ignores keys typed in a field or with a modifier", () => {
    expect(shortcutFor({ ...plain, key: "j" }, document.createElement("textarea"))).toBeNull();
    expect(shortcutFor({ ...plain, key: "c", ctrlKey: true }, null)).toBeNull();
  });
  it("steps through the list and stays at its ends", () => {
    expect(neighbour(["a", "b", "c"], "b", 1)).toBe("c");
    expect(neighbour(["a", "b", "c"], "c", 1)).toBe("c");
    expect(neighbour(["a", "b", "c"], "a", -1)).toBe("a");
    expect(neighbour(["a", "b"], undefined, 1)).toBe("a");
    expect(neighbour([], "a", 1)).toBeUndefined();
  });
});

describe("consent and media", () => {
  it("blocks a reply only after an opt-out, with its source", () => {
    expect(replyBlock({ status: "opted_out", source: "keyword" })).toBe("keyword");
    expect(replyBlock({ status: "opted_in", source: "form" })).toBeNull();
    expect(replyBlock({ status: null, source: null })).toBeNull();
  });
  it("closes a blocked-reply sentence once, also after a time that ends in a full stop", () => {
    expect(closeSentence("Ana replied STOP on Wed, Nov 25, 10:07 PM")).toBe("Ana replied STOP on Wed, Nov 25, 10:07 PM.");
    expect(closeSentence("Ana respondió STOP el mié, 25 de nov, 10:07 p.m.")).toBe("Ana respondió STOP el mié, 25 de nov, 10:07 p.m.");
    for (const language of ["en", "es"] as const) {
      setLocale(language);
      for (const reason of ["keyword", "provider_error", "staff", "import", "form", "email_unsubscribe", "email_complaint", "preference_page"] as const) {
        const sentence = closeSentence(t(`blocked.${reason}`, { name: "Ana", date: "mié, 25 de nov, 10:07 p.m." }));
        expect(sentence).not.toContain("..");
        expect(sentence.endsWith(".")).toBe(true);
      }
    }
    setLocale("en");
  });
  it("shows only copies in the private bucket, never a provider URL", () => {
    expect(isMediaKey("message-media/inbound/x/0.jpg")).toBe(true);
    expect(isMediaKey("https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME")).toBe(false);
  });
  it("names a reply image by its conversation and a fresh name", () => {
    expect(outboundPath("c1", "My Photo.PNG", "u1")).toBe("outbound/c1/u1.png");
    expect(outboundPath("c1", "noextension", "u1")).toBe("outbound/c1/u1.jpg");
  });
});

describe("inbox notices", () => {
  const assigned = { id: 4, kind: "assigned" as const, conversationId: "c1" };
  const wrote = { id: 5, kind: "new_message" as const, conversationId: "c1" };
  const other = { id: 9, kind: "new_message" as const, conversationId: "c2" };

  it("counts conversations to look at, not notices", () => {
    expect(conversationsToLookAt([])).toBe(0);
    expect(conversationsToLookAt([assigned, wrote, other])).toBe(2);
  });

  it("announces only what arrives after the first load", () => {
    const first = noticesToAnnounce([assigned], null);
    expect(first).toEqual({ announce: [], announcedUpTo: 4 });
    const next = noticesToAnnounce([assigned, wrote, other], first.announcedUpTo);
    expect(next).toEqual({ announce: [wrote, other], announcedUpTo: 9 });
    expect(noticesToAnnounce([assigned, wrote, other], next.announcedUpTo).announce).toEqual([]);
  });

  it("keeps what was announced when notices are read", () => {
    expect(noticesToAnnounce([], 9)).toEqual({ announce: [], announcedUpTo: 9 });
  });
});

describe("staff names", () => {
  const staff: StaffMember[] = [
    { userId: "u-ana", name: "Ana", level: "organizer", active: true },
    { userId: "u-bo", name: "bo@example.com", level: "admin", active: true },
    { userId: "u-vol", name: "Vol", level: "volunteer", active: true },
    { userId: "u-gone", name: "Gone", level: "organizer", active: false },
    { userId: "u-anon", name: null, level: "owner", active: true },
  ];

  it("names a colleague by display name or email, never by an id", () => {
    expect(staffName(staff, "u-ana", "A former staff member")).toBe("Ana");
    expect(staffName(staff, "u-bo", "A former staff member")).toBe("bo@example.com");
  });

  it("calls someone the directory no longer lists, or lists without a name, a former staff member", () => {
    expect(staffName(staff, "u-deleted", "A former staff member")).toBe("A former staff member");
    expect(staffName(staff, "u-anon", "A former staff member")).toBe("A former staff member");
  });

  it("offers conversations to active organizers and up only", () => {
    expect(assignableStaff(staff).map((member) => member.userId)).toEqual(["u-ana", "u-bo", "u-anon"]);
  });
});
