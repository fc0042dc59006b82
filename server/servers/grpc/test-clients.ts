// Helpers of the gRPC service's tests (not imported by the service).

import type http2 from "node:http2";

/** A client stream's response: its headers, its body and its trailers. */
export function readStream(stream: http2.ClientHttp2Stream): Promise<{ headers: http2.IncomingHttpHeaders; body: Buffer; trailers: http2.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    let headers: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    const parts: Buffer[] = [];
    stream.on("response", (h) => (headers = h));
    stream.on("trailers", (t) => (trailers = t));
    stream.on("data", (d: Buffer) => parts.push(d));
    stream.on("end", () => resolve({ headers, body: Buffer.concat(parts), trailers }));
    stream.on("error", reject);
  });
}
