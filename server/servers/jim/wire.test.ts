// What the JIM server writes: replies shaped as seed 002 says, pure ASCII, one object within 1,024 bytes.

import { describe, expect, it } from "vitest";
import { asciiJson, encodeReply, MAX_FRAME_BYTES, replyObject } from "./wire";

describe("JIM replies", () => {
  it("gives 1xx/2xx an alert and 4xx/5xx an error (and the same alert), with time as a number", () => {
    expect(replyObject(200, "OK", 1_700_000_000_250)).toEqual({ response: 200, time: 1_700_000_000.25, alert: "OK" });
    expect(replyObject(101, "note", 0)).toEqual({ response: 101, time: 0, alert: "note" });
    expect(replyObject(404, "no user bob", 1000)).toEqual({ response: 404, time: 1, error: "no user bob", alert: "no user bob" });
    expect(encodeReply(500, "x", 2000).toString("ascii")).toBe('{"response":500,"time":2,"error":"x","alert":"x"}');
  });

  it("writes every character past ASCII as a \\u escape (as json.dumps does by default)", () => {
    expect(asciiJson({ message: "Привет é \u007f 😀" })).toBe('{"message":"\\u041f\\u0440\\u0438\\u0432\\u0435\\u0442 \\u00e9 \\u007f \\ud83d\\ude00"}');
    const frame = encodeReply(400, "имя занято");
    expect([...frame].every((b) => b < 0x80)).toBe(true);
    expect(JSON.parse(frame.toString("ascii"))).toMatchObject({ response: 400, error: "имя занято" });
  });

  it("keeps a reply within 1,024 bytes even when its text would not fit", () => {
    const frame = encodeReply(400, "ы".repeat(400), 1000);
    expect(frame.length).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    expect(frame.toString("ascii")).toBe('{"response":400,"time":1,"error":"bad request","alert":"bad request"}');
  });
});
