// LabService.FollowConversation over real HTTP with Connect: a lab client's echo conversation followed as the session's
// timeline holds it, both directions in order; another session cannot follow it; a stale run or an unknown id is NOT_FOUND.

import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Direction } from "@/gen/lab/v1/timeline_pb";
import { RUN_ID } from "../capture/bus";
import type { LabHost } from "./host";
import { labServiceFor, sleep, startTestHost, visitForSession } from "../testing/host";

let host: LabHost;
beforeAll(async () => {
  host = await startTestHost();
});
afterAll(async () => {
  await host.stop();
});

const text = (data: Uint8Array) => new TextDecoder().decode(data);

async function notFound(call: Promise<unknown>): Promise<Code | undefined> {
  try {
    await call;
    return undefined;
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

describe("FollowConversation", () => {
  it("gives the session's echo conversation both ways in the order sent, numbered as its timeline numbers them", async () => {
    const lab = labServiceFor(host, await visitForSession(host, "/lessons/tcp"));
    const { conversation } = await lab.open({ service: "tcp-echo" });
    const id = conversation!.id;
    const encoder = new TextEncoder();
    await lab.send({ conversationId: id, parts: [encoder.encode("hello")] });
    await lab.send({ conversationId: id, parts: [encoder.encode("time")] });
    let followed = await lab.followConversation({ conversationId: id, runId: RUN_ID });
    for (let i = 0; i < 100 && followed.chunks.length < 5; i++) {
      await sleep(20);
      followed = await lab.followConversation({ conversationId: id, runId: RUN_ID });
    }
    const port = conversation!.client!.port;
    expect(followed.conversation?.id).toBe(id);
    expect(followed.conversation?.service).toBe("tcp-echo");
    const chunks = followed.chunks.map((c) => [c.direction, text(c.data)]);
    expect(chunks.slice(0, 3)).toEqual([
      [Direction.SERVER_TO_CLIENT, `Welcome to TCP Server! Your address: ('127.0.0.1', ${port})`],
      [Direction.CLIENT_TO_SERVER, "hello"],
      [Direction.SERVER_TO_CLIENT, "ECHO: hello"],
    ]);
    expect(chunks[3]).toEqual([Direction.CLIENT_TO_SERVER, "time"]);
    expect(chunks[4]?.[0]).toBe(Direction.SERVER_TO_CLIENT);
    // The open is event 1, so the welcome is 2; numbers and seqs rise together.
    expect(followed.chunks[0]!.number).toBe(2n);
    for (let i = 1; i < followed.chunks.length; i++) {
      expect(followed.chunks[i]!.number > followed.chunks[i - 1]!.number).toBe(true);
      expect(followed.chunks[i]!.seq > followed.chunks[i - 1]!.seq).toBe(true);
    }
    const sent = (d: Direction) => followed.chunks.filter((c) => c.direction === d).reduce((n, c) => n + c.data.length, 0);
    expect(followed.clientBytes).toBe(BigInt(sent(Direction.CLIENT_TO_SERVER)));
    expect(followed.serverBytes).toBe(BigInt(sent(Direction.SERVER_TO_CLIENT)));
    expect(followed.clientChunks).toBe(2);
    expect(followed.omittedChunks).toBe(0);

    // Another session, even at the same address, does not see a lab client of this one; nor does a page of an older run.
    const other = labServiceFor(host, await visitForSession(host, "/lessons/tcp"));
    expect(await notFound(other.followConversation({ conversationId: id, runId: RUN_ID }))).toBe(Code.NotFound);
    expect(await notFound(lab.followConversation({ conversationId: id, runId: "an-older-run" }))).toBe(Code.NotFound);
    expect(await notFound(lab.followConversation({ conversationId: "no-such-conversation", runId: RUN_ID }))).toBe(Code.NotFound);
    await lab.close({ conversationId: id });
  });
});
