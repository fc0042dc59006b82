// The attack suite's short form (issue 8 §2): every attack against a lab host in its own process, with
// lowered web limits so a few hundred sockets reach them. It fails when the host does not hold: an
// attack not refused with the protocol's error, the host's memory running away, an unrelated
// student's echo or page load failing or stalling, the victim's session lost, a stack in the log.
// `npm run attack` runs the long form and prints its figures.

import { describe, expect, it } from "vitest";
import { regressions, runAttackSuite } from "./suite";

describe("attack suite (short form)", () => {
  it("every attack is refused, and the host keeps serving the others", { timeout: 120_000 }, async () => {
    const result = await runAttackSuite({ scale: "short" });
    expect(result.hostAlive).toBe(true);
    expect(result.attacks.map((a) => a.name)).toEqual([
      "DNS rebinding",
      "bad binary bodies",
      "compression bombs",
      "Content-Length: 4294967295",
      "oversized JSON Send",
      "aborted Watch streams",
      "slow headers",
      "upgrade requests",
      "parallel pcapng exports",
      "lab clients of many sessions",
      "session flood",
      "fan-out to many sessions",
      "UDP datagram flood",
    ]);
    expect(regressions(result)).toEqual([]);
    for (const attack of result.attacks) {
      expect(attack.echo.ok, attack.name).toBeGreaterThan(0);
      expect(attack.sessionKept, attack.name).toBe(true);
    }
  });
});
