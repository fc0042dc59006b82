// Commands a student can paste into a terminal to meet the lab's HTTP server with their own programs: curl with -v
// (the request and answer heads as sent and read), -L (seed 003's 302 followed), two URLs on one kept-alive
// connection, an ETag sent back in If-None-Match, the dripping chunked answer with -N, and Python's requests (seed
// 000's client library) doing the same. At the host and port the lab reports; quoted with the home page's helpers.

import { shellQuote, py, type Endpoint } from "../home/commands";
import { baseUrl } from "../http-composer/model";

const at = (endpoint: Endpoint, path: string) => `${baseUrl(endpoint)}${path}`;

export function curlVerbose(endpoint: Endpoint): string {
  return `curl -v ${shellQuote(at(endpoint, "/"))}`;
}

export function curlFollow(endpoint: Endpoint): string {
  return `curl -L -v ${shellQuote(at(endpoint, "/"))}`;
}

/** Two URLs in one curl run go on one connection while the server keeps it open. */
export function curlKeepAlive(endpoint: Endpoint): string {
  return `curl -v ${shellQuote(at(endpoint, "/api/health"))} ${shellQuote(at(endpoint, "/api/users"))}`;
}

/** The ETag from a HEAD, then the same GET with If-None-Match: 304 and no body. awk, not sed -I, so it runs on macOS too. */
export function curlEtag(endpoint: Endpoint): string {
  const url = shellQuote(at(endpoint, "/posts"));
  return [`ETAG=$(curl -sI ${url} | tr -d '\\r' | awk 'tolower($1) == "etag:" { print $2 }')`, `curl -i -H "If-None-Match: $ETAG" ${url}`].join("\n");
}

export function curlDrip(endpoint: Endpoint): string {
  return `curl -N -i ${shellQuote(at(endpoint, "/http/drip"))}`;
}

export function pythonHttp(endpoint: Endpoint): string {
  return [
    "import requests",
    "",
    "with requests.Session() as session:",
    `    response = session.get(${py(at(endpoint, "/"))})`,
    "    for hop in response.history:",
    '        print(hop.status_code, hop.reason, "->", hop.headers["Location"])',
    "    print(response.status_code, response.reason, response.url)",
    "",
    `    first = session.get(${py(at(endpoint, "/posts"))})`,
    `    again = session.get(${py(at(endpoint, "/posts"))}, headers={"If-None-Match": first.headers["ETag"]})`,
    '    print(first.status_code, len(first.content), "bytes;", again.status_code, len(again.content), "bytes")',
  ].join("\n");
}
