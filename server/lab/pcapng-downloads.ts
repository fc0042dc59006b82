// GET /api/sessions/current/capture.pcapng as the host serves it: the file of pcapngParts written to the
// response slice by slice, under bounds that keep downloads from taking the host from everyone else.
// - At most `concurrent` files are made at once (each holds an index of its timeline, some 20 bytes an
//   event, and the packets of the conversations open at its place in the file; never the events
//   themselves: export-pcapng.ts); more wait their turn, in order.
// - A session has one download at a time; a second one at once is refused (429).
// - Work goes in slices of DOWNLOAD_SLICE_MS, each in a bulk slot of the host's pacer (pacer.ts), which
//   shares the turns of the event loop with the Watch streams: one download slice a turn for all downloads
//   together, beside a few streams' batches, and the servers accept and answer between.
// - A client that stops reading for `stallMs` loses its download, and its turn with it.

import type http from "node:http";
import type { Ring } from "../capture/ring";
import type { Dissector } from "../dissect/core/types";
import type { FilterNode } from "../dissect/filter/parse";
import { harParts } from "./export-har";
import { eventPasses } from "./filter-events";
import { PAUSE, pcapngParts } from "./export-pcapng";
import { hostPacer, type Pacer } from "./pacer";

export interface DownloadLimits {
  readonly concurrent: number;
  readonly stallMs: number;
}

export const DOWNLOAD_LIMITS: DownloadLimits = { concurrent: 2, stallMs: 10_000 };

/**
 * Event headers read, or packets made and written, per part of the file: about 3 ms here with the host loaded
 * (the soak's exports made some 90 packets a millisecond). A slice takes parts until DOWNLOAD_SLICE_MS.
 */
const DOWNLOAD_SLICE = 250;
const DOWNLOAD_SLICE_MS = 4;

export interface PcapngDownloads {
  /** Answers the request with the session's file (or 429 when that session's download is running). */
  /**
   * `only`: the conversations the page's filter shows (every one when absent); `filter`: the events a display
   * filter keeps (filter-events.ts), parsed already.
   */
  serve(res: http.ServerResponse, session: { readonly id: string; readonly ring: Ring }, only?: ReadonlySet<string>, filter?: FilterNode): void;
  /** The HAR of the session's HTTP exchanges (export-har.ts), under the same bounds; one download of either at a time. */
  serveHar(res: http.ServerResponse, session: { readonly id: string; readonly ring: Ring }, creator: { readonly name: string; readonly version: string }): void;
}

type Parts = Generator<Uint8Array | typeof PAUSE, unknown, undefined>;

export function createPcapngDownloads(
  dissectorFor: (protocol: string) => Dissector,
  limits: DownloadLimits = DOWNLOAD_LIMITS,
  pacer: Pacer = hostPacer,
): PcapngDownloads {
  const busySessions = new Set<string>();
  const waiting: (() => void)[] = [];
  let running = 0;

  /** Resolves when one of the `concurrent` places is free for the caller. */
  const place = () =>
    new Promise<void>((resolve) => {
      if (running < limits.concurrent) {
        running++;
        resolve();
      } else {
        waiting.push(() => {
          running++;
          resolve();
        });
      }
    });
  const leave = () => {
    running--;
    waiting.shift()?.();
  };

  async function write(res: http.ServerResponse, make: () => Parts) {
    await place();
    try {
      if (res.destroyed) return;
      const parts = make();
      let slice = performance.now();
      for (let next = parts.next(); !next.done; next = parts.next()) {
        if (res.destroyed) return;
        if (next.value !== PAUSE && !res.write(next.value) && !(await drained(res, limits.stallMs))) {
          res.destroy();
          return;
        }
        if (performance.now() - slice < DOWNLOAD_SLICE_MS) continue;
        await pacer.slot(undefined, "bulk");
        slice = performance.now();
      }
      res.end();
    } finally {
      leave();
    }
  }

  function start(res: http.ServerResponse, sessionId: string, file: { type: string; ext: string; what: string }, make: () => Parts) {
    if (busySessions.has(sessionId)) {
      res.writeHead(429, { "content-type": "text/plain; charset=utf-8", "retry-after": "5", "cache-control": "no-store" });
      res.end(`This timeline's ${file.what} is already being downloaded; try again when that download ends.\n`);
      return;
    }
    busySessions.add(sessionId);
    const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
    res.writeHead(200, {
      "content-type": file.type,
      "content-disposition": `attachment; filename="protocol-lab-${stamp}.${file.ext}"`,
      "cache-control": "no-store",
    });
    write(res, make)
      .catch((err: unknown) => {
        // Headers are sent: a failure can only cut the file short, which the client sees.
        process.stderr.write(`protocol-lab: the ${file.ext} export failed: ${err instanceof Error ? err.message : String(err)}\n`);
        res.destroy();
      })
      .finally(() => busySessions.delete(sessionId));
  }

  return {
    serve(res, session, only, filter) {
      const { ring } = session;
      const keep = filter && ((seq: number) => {
        const event = ring.event(seq);
        return event !== undefined && eventPasses(filter, event, ring.number(seq), dissectorFor);
      });
      start(res, session.id, { type: "application/x-pcapng", ext: "pcapng", what: "capture" }, () =>
        pcapngParts(ring, dissectorFor, session.id.slice(0, 8), DOWNLOAD_SLICE, only, keep),
      );
    },
    serveHar(res, session, creator) {
      start(res, session.id, { type: "application/json; charset=utf-8", ext: "har", what: "HAR file" }, () => harParts(session.ring, dissectorFor, creator));
    },
  };
}

/** True once the response takes more; false when it closed or did not drain within `ms`. */
function drained(res: http.ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      res.off("drain", onDrain).off("close", onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    const timer = setTimeout(() => done(false), ms);
    res.on("drain", onDrain).on("close", onClose);
  });
}
