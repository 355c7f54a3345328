import { describe, expect, it } from "vitest";
import { KnownRoom } from "./known-room.ts";

describe("KnownRoom", () => {
  it("assumes no room for a client it has heard nothing about", () => {
    const room = new KnownRoom();
    expect(room.admits("client:a", 1)).toBe(false);
    room.sent("client:a", 1);
    expect(room.admits("client:a", 1), "a charge on its way says nothing yet").toBe(false);
  });

  it("counts every charge still on its way against the room last heard of", () => {
    const room = new KnownRoom();
    room.decided(room.sent("client:a", 1), 3);
    expect(room.admits("client:a", 3)).toBe(true);
    expect(room.admits("client:a", 4)).toBe(false);
    const second = room.sent("client:a", 1);
    const third = room.sent("client:a", 1);
    expect(room.admits("client:a", 1)).toBe(true);
    expect(room.admits("client:a", 2), "two of three units are spoken for").toBe(false);
    room.decided(second, 2);
    room.decided(third, 1);
    expect(room.admits("client:a", 1)).toBe(true);
    expect(room.admits("client:a", 2)).toBe(false);
    expect(room.admits("client:b", 1), "clients are kept apart").toBe(false);
  });

  it("keeps the newest charge's answer when an older one arrives late", () => {
    const room = new KnownRoom();
    const older = room.sent("client:a", 1);
    const newer = room.sent("client:a", 1);
    room.decided(newer, 0);
    room.decided(older, 1);
    expect(room.admits("client:a", 1)).toBe(false);
  });

  it("assumes no room once the store failed to answer, until it answers again", () => {
    const room = new KnownRoom();
    room.decided(room.sent("client:a", 1), 10);
    const failed = room.sent("client:a", 1);
    const late = room.sent("client:a", 1);
    room.decided(failed, undefined);
    expect(room.admits("client:a", 1)).toBe(false);
    room.decided(late, 8);
    expect(room.admits("client:a", 1)).toBe(true);
    const stale = room.sent("client:a", 1);
    room.decided(room.sent("client:a", 1), undefined);
    room.decided(stale, 9);
    expect(room.admits("client:a", 1), "an answer older than the failure changes nothing").toBe(
      false,
    );
  });
});
