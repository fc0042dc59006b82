// The ladder's reading of WebSocket frame summaries, on summaries the dissector writes (server/dissect/websocket.ts).

import { describe, expect, it } from "vitest";
import { dissectWebSocket } from "@/server/dissect/websocket";
import { websocketFrameLabel } from "./websocket-label";

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
const summaryOf = (bytes: string, direction: "c2s" | "s2c") => dissectWebSocket(hex(bytes), { direction } as Parameters<typeof dissectWebSocket>[1])[0]!.summary;

describe("websocketFrameLabel", () => {
  it("splits a masked text frame, a server's close and a ping into opcode, flags and payload", () => {
    // "Hi" masked with key 00 00 00 00, from the client.
    expect(websocketFrameLabel(summaryOf("81820000000048 69".replace(" ", ""), "c2s"))).toEqual({ opcode: "Text", control: false, flags: "[FIN] [MASKED]", rest: '"Hi"' });
    expect(websocketFrameLabel(summaryOf("880203e8", "s2c"))).toEqual({ opcode: "Close", control: true, flags: "[FIN]", rest: "1000" });
    expect(websocketFrameLabel(summaryOf("89047069 6e67".replace(" ", ""), "s2c"))).toEqual({ opcode: "Ping", control: true, flags: "[FIN]", rest: '"ping"' });
    // A first fragment: no FIN.
    expect(websocketFrameLabel(summaryOf("0103616263", "s2c"))).toMatchObject({ opcode: "Text", flags: "", control: false });
  });

  it("leaves other summaries alone", () => {
    for (const summary of ['"Ping [FIN] ok"', "Text message", "GET / HTTP/1.1", "", "Pong and more"]) expect(websocketFrameLabel(summary)).toBeUndefined();
  });
});
