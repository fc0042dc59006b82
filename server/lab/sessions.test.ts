import { afterEach, describe, expect, it, vi } from "vitest";
import { createSessionStore, readCookies, SessionRefused, type SessionOptions } from "./sessions";

const ring = { ringMaxEvents: 100, ringMaxBytes: 1 << 20 };
const store = (limits: Partial<SessionOptions> = {}) => createSessionStore({ ...ring, ...limits });
const cookie = (...ids: string[]) => ids.map((id) => `lab_session=${id}`).join("; ");

afterEach(() => vi.useRealTimers());

describe("session store", () => {
  it("reads every value of a cookie in the order sent", () => {
    expect(readCookies("a=1; lab_session=x; b=2;lab_session=y", "lab_session")).toEqual(["x", "y"]);
    expect(readCookies(undefined, "lab_session")).toEqual([]);
  });

  it("takes the cookie sent last (the shortest path) when several name sessions and no page token says which", () => {
    const sessions = store();
    const planted = sessions.resolve(undefined, "127.0.0.1").session;
    const own = sessions.resolve(undefined, "127.0.0.1").session;
    // A browser sends the cookie with the longer path first: the planted one.
    expect(sessions.lookup(cookie(planted.id, own.id), "127.0.0.1")).toBe(own);
    expect(sessions.resolve(cookie(planted.id, own.id), "127.0.0.1")).toEqual({ session: own, created: false });
  });

  it("takes an API call for the session its page token names, whatever cookies came", () => {
    const sessions = store();
    const attacker = sessions.resolve(undefined, "127.0.0.1").session;
    const victim = sessions.resolve(undefined, "127.0.0.1").session;
    const token = sessions.pageToken(victim);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessions.pageToken(attacker)).not.toBe(token);
    expect(sessions.lookup(cookie(attacker.id, victim.id), "127.0.0.1", token)).toBe(victim);
    expect(sessions.lookup(cookie(victim.id, attacker.id), "127.0.0.1", token)).toBe(victim);
    // The planted cookie replaced the lab's own: the token still says whose page this is.
    expect(sessions.lookup(cookie(attacker.id), "127.0.0.1", token)).toBe(victim);
    // A token that names no session is no session, whatever the cookie.
    expect(sessions.lookup(cookie(victim.id), "127.0.0.1", "x".repeat(43))).toBeUndefined();
    expect(sessions.lookup(cookie(victim.id), "127.0.0.1", "")).toBeUndefined();
  });

  it("takes the first of several page tokens that names a session (the page's own, kept across reloads)", () => {
    const sessions = store();
    const attacker = sessions.resolve(undefined, "127.0.0.1").session;
    const victim = sessions.resolve(undefined, "127.0.0.1").session;
    const [kept, rendered] = [sessions.pageToken(victim), sessions.pageToken(attacker)];
    expect(sessions.lookup(cookie(attacker.id), "127.0.0.1", `${kept}, ${rendered}`)).toBe(victim);
    expect(sessions.lookup(cookie(attacker.id), "127.0.0.1", `${rendered},${kept}`)).toBe(attacker);
    // A kept token from before a restart names nothing: the rendered one is next.
    expect(sessions.lookup(undefined, "127.0.0.1", `${"x".repeat(43)}, ${kept}`)).toBe(victim);
  });

  it("a page visit with a planted cookie does not show the visitor's programs to the planter's session", () => {
    const sessions = store();
    const attacker = sessions.resolve(undefined, "10.0.0.66").session;
    expect(sessions.resolve(cookie(attacker.id), "10.0.0.7")).toEqual({ session: attacker, created: false });
    expect([...attacker.addresses]).toEqual(["10.0.0.66"]);
    // The page's own calls, under its token, are what tie an address to a session.
    const victim = sessions.resolve(undefined, "10.0.0.7").session;
    sessions.lookup(cookie(attacker.id), "10.0.0.8", sessions.pageToken(victim));
    expect([...victim.addresses]).toEqual(["10.0.0.7", "10.0.0.8"]);
    expect([...attacker.addresses]).toEqual(["10.0.0.66"]);
  });

  it("forgets an evicted session's token", () => {
    const sessions = store({ maxSessions: 1 });
    const first = sessions.resolve(undefined, "10.0.0.1").session;
    const token = sessions.pageToken(first);
    sessions.resolve(undefined, "10.0.0.1");
    expect(sessions.lookup(undefined, "10.0.0.1", token)).toBeUndefined();
  });

  it("tokens from another store (another run of the host) name nothing", () => {
    const before = store();
    const after = store();
    const session = after.resolve(undefined, "127.0.0.1").session;
    const stale = before.pageToken(before.resolve(undefined, "127.0.0.1").session);
    expect(after.lookup(cookie(session.id), "127.0.0.1", stale)).toBeUndefined();
  });

  it("lets an address start creationBurst sessions at once, then creationsPerMinute", () => {
    vi.useFakeTimers();
    const sessions = store({ creationBurst: 3, creationsPerMinute: 6 });
    for (let i = 0; i < 3; i++) sessions.resolve(undefined, "10.0.0.1");
    const refused = (() => {
      try {
        sessions.resolve(undefined, "10.0.0.1");
      } catch (err) {
        return err;
      }
    })();
    expect(refused).toBeInstanceOf(SessionRefused);
    expect((refused as SessionRefused).reason).toBe("rate");
    expect((refused as SessionRefused).retryAfterS).toBe(10);
    // Another address is not charged for it, and the refused one lost nothing.
    expect(sessions.resolve(undefined, "10.0.0.2").created).toBe(true);
    expect(sessions.size).toBe(4);
    // One more every ten seconds.
    vi.advanceTimersByTime(10_000);
    expect(sessions.resolve(undefined, "10.0.0.1").created).toBe(true);
    expect(() => sessions.resolve(undefined, "10.0.0.1")).toThrow(SessionRefused);
    // A known cookie is never refused.
    const known = sessions.resolve(undefined, "10.0.0.2").session;
    expect(sessions.resolve(cookie(known.id), "10.0.0.1").session).toBe(known);
  });

  it("holds at most maxSessionsPerAddress per address: its own idlest goes, never another's", () => {
    const sessions = store({ maxSessionsPerAddress: 3, creationBurst: 100 });
    const neighbour = sessions.resolve(undefined, "10.0.0.9").session;
    const mine = [1, 2, 3].map(() => sessions.resolve(undefined, "10.0.0.1").session);
    const fourth = sessions.resolve(undefined, "10.0.0.1").session;
    expect(sessions.get(mine[0]!.id)).toBeUndefined();
    expect(sessions.get(fourth.id)).toBe(fourth);
    expect(sessions.get(neighbour.id)).toBe(neighbour);
    expect(sessions.size).toBe(4);
  });

  it("never evicts a session something live holds; refuses when every one is held", () => {
    const sessions = store({ maxSessions: 3, creationBurst: 100 });
    const disposed: string[] = [];
    const made = [1, 2, 3].map(() => sessions.resolve(undefined, "10.0.0.1").session);
    let watching = true;
    made[0]!.holds.add(() => watching); // the victim's open page (oldest, so first in line)
    made[0]!.disposers.add(() => disposed.push("victim"));
    made[1]!.disposers.add(() => disposed.push("idle"));
    // The store is full: the idlest unheld session goes, not the older held one.
    const newcomer = sessions.resolve(undefined, "10.0.0.2").session;
    expect(sessions.get(made[0]!.id)).toBe(made[0]);
    expect(sessions.get(made[1]!.id)).toBeUndefined();
    expect(disposed).toEqual(["idle"]);
    // Every session held: a new visit is refused, and nothing is lost.
    for (const s of [made[2]!, newcomer]) s.holds.add(() => true);
    const err = (() => {
      try {
        sessions.resolve(undefined, "10.0.0.3");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SessionRefused);
    expect((err as SessionRefused).reason).toBe("full");
    expect(sessions.size).toBe(3);
    // Once the victim's page closes its stream, its session may go like any other.
    watching = false;
    sessions.resolve(undefined, "10.0.0.3");
    expect(sessions.get(made[0]!.id)).toBeUndefined();
    expect(disposed).toEqual(["idle", "victim"]);
  });

  it("a refused visit spends none of its address's allowance", () => {
    const sessions = store({ maxSessions: 1, creationBurst: 1, creationsPerMinute: 1 });
    sessions.resolve(undefined, "10.0.0.1").session.holds.add(() => true);
    expect(() => sessions.resolve(undefined, "10.0.0.2")).toThrow(SessionRefused);
    sessions.dispose();
    expect(sessions.resolve(undefined, "10.0.0.2").created).toBe(true);
  });
});
