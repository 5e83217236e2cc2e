import { describe, expect, it } from "vitest";
import { splitTeam, type StaffPerson } from "./volunteers";

const person = (userId: string, name: string, level = "volunteer", active = true): StaffPerson => ({ userId, name, level, active });
const people = [
  person("u-ana", "Ana"),
  person("u-ben", "Ben"),
  person("u-cruz", "Cruz", "volunteer", false),
  person("u-olga", "Olga", "organizer"),
];

describe("an event's door team", () => {
  it("names the members in order and offers only active volunteers not yet on it", () => {
    const { members, candidates } = splitTeam(people, ["u-ben", "u-cruz"], "Former staff member");
    expect(members.map((member) => member.name)).toEqual(["Ben", "Cruz"]);
    expect(candidates.map((candidate) => candidate.name)).toEqual(["Ana"]);
  });
  it("keeps someone no longer on the staff list removable, under a clear label", () => {
    const { members } = splitTeam(people, ["0123456789-gone"], "Former staff member");
    expect(members).toEqual([{ userId: "0123456789-gone", name: "Former staff member", level: "volunteer", active: false }]);
  });
});
