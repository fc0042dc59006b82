// Test data (never imported by a dissector): requests and responses, good and bad, on which the HTTP/1.x dissector's verdict is held
// to Node's parser (llhttp) in http1-llhttp.it.test.ts. A request is bad for the dissector when it reports a finding
// of severity "error"; for Node, when the server answers 400 without calling the handler.

export interface CorpusRequest {
  readonly name: string;
  /** The bytes, written as Latin-1 (each character one byte). */
  readonly text: string;
}

const H = "Host: lab\r\n";

export const LLHTTP_CORPUS: readonly CorpusRequest[] = [
  // Good
  { name: "get", text: `GET / HTTP/1.1\r\n${H}\r\n` },
  { name: "seed000 client get", text: `GET /api/users HTTP/1.1\r\n${H}User-Agent: python-requests/2.28.1\r\nAccept-Encoding: gzip, deflate\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n` },
  { name: "post json", text: `POST /api/users HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: 13\r\n\r\n{"name":"Al"}` },
  { name: "http/1.0 without host", text: "GET / HTTP/1.0\r\n\r\n" },
  { name: "leading empty line", text: `\r\nGET / HTTP/1.1\r\n${H}\r\n` },
  { name: "two spaces (tolerated)", text: `GET  / HTTP/1.1\r\n${H}\r\n` },
  { name: "two hosts (tolerated)", text: `GET / HTTP/1.1\r\n${H}${H}\r\n` },
  { name: "http/0.9 line", text: "GET /\r\n\r\n" },
  { name: "version 2.0 in a request line", text: `GET / HTTP/2.0\r\n${H}\r\n` },
  { name: "chunked with extensions and a trailer", text: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3;a=b;q="x y";flag\r\nabc\r\n0\r\nX-T: 1\r\n\r\n` },
  { name: "chunk size in upper case", text: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n` },
  { name: "Transfer-Encoding: Chunked", text: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: Chunked\r\n\r\n0\r\n\r\n` },
  { name: "two Transfer-Encoding lines ending in chunked", text: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n` },
  { name: "trailing whitespace in a value", text: `GET / HTTP/1.1\r\nHost: lab  \r\n\r\n` },
  { name: "empty value", text: `GET / HTTP/1.1\r\n${H}X:\r\n\r\n` },
  { name: "tab in a value", text: `GET / HTTP/1.1\r\n${H}X: a\tb\r\n\r\n` },
  { name: "obs-text in a value", text: `GET / HTTP/1.1\r\n${H}X: \xff\r\n\r\n` },
  { name: "UTF-8 in a value", text: `GET / HTTP/1.1\r\n${H}X: \xc3\xa9\r\n\r\n` },
  { name: "absolute form", text: `GET http://lab/x HTTP/1.1\r\n${H}\r\n` },
  { name: "asterisk form", text: `OPTIONS * HTTP/1.1\r\n${H}\r\n` },
  { name: "Content-Length with a leading zero", text: `POST / HTTP/1.1\r\n${H}Content-Length: 03\r\n\r\nabc` },
  { name: "QUERY", text: `QUERY / HTTP/1.1\r\n${H}\r\n` },
  { name: "M-SEARCH", text: `M-SEARCH * HTTP/1.1\r\n${H}\r\n` },
  { name: "pipelined pair", text: `GET /a HTTP/1.1\r\n${H}\r\nGET /b HTTP/1.1\r\n${H}\r\n` },
  { name: "upgrade request", text: `GET /chat HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n` },
  // Bad
  { name: "bare LF everywhere", text: "GET / HTTP/1.1\nHost: lab\n\n" },
  { name: "bare LF once", text: `GET / HTTP/1.1\r\nHost: lab\n\r\n` },
  { name: "obs-fold", text: `GET / HTTP/1.1\r\n${H}X: a\r\n b\r\n\r\n` },
  { name: "no Host on 1.1", text: "GET / HTTP/1.1\r\n\r\n" },
  { name: "Content-Length and Transfer-Encoding", text: `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n` },
  { name: "Transfer-Encoding then Content-Length: 0", text: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n` },
  { name: "Content-Length twice, same", text: `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc` },
  { name: "Content-Length twice, different", text: `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd` },
  { name: "Content-Length list", text: `POST / HTTP/1.1\r\n${H}Content-Length: 3, 3\r\n\r\nabc` },
  { name: "Content-Length not digits", text: `POST / HTTP/1.1\r\n${H}Content-Length: 3x\r\n\r\nabc` },
  { name: "Content-Length with a sign", text: `POST / HTTP/1.1\r\n${H}Content-Length: +3\r\n\r\nabc` },
  { name: "Content-Length empty", text: `POST / HTTP/1.1\r\n${H}Content-Length: \r\n\r\n` },
  { name: "Content-Length past 2^53", text: `POST / HTTP/1.1\r\n${H}Content-Length: 99999999999999999999\r\n\r\n` },
  { name: "space in a header name", text: `GET / HTTP/1.1\r\n${H}Bad Name: x\r\n\r\n` },
  { name: "@ in a header name", text: `GET / HTTP/1.1\r\n${H}Bad@Name: x\r\n\r\n` },
  { name: "space before the colon", text: `GET / HTTP/1.1\r\nHost : lab\r\n\r\n` },
  { name: "empty header name", text: `GET / HTTP/1.1\r\n${H}: x\r\n\r\n` },
  { name: "header line without a colon", text: `GET / HTTP/1.1\r\n${H}Xx\r\n\r\n` },
  { name: "control byte in a value", text: `GET / HTTP/1.1\r\n${H}X: a\x01b\r\n\r\n` },
  { name: "DEL in a value", text: `GET / HTTP/1.1\r\n${H}X: a\x7fb\r\n\r\n` },
  { name: "NUL in a value", text: `GET / HTTP/1.1\r\n${H}X: a\x00b\r\n\r\n` },
  { name: "bad trailer name", text: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\nBad Name: x\r\n\r\n` },
  { name: "space in a chunk extension", text: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3;a=b c\r\nabc\r\n0\r\n\r\n` },
  { name: "bad chunk size", text: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n` },
  { name: "space after the chunk size", text: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n` },
  { name: "chunk data without CRLF", text: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n` },
  { name: "chunked with bare LF", text: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\nabc\n0\n\n` },
  { name: "Transfer-Encoding: gzip", text: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip\r\n\r\nabc` },
  { name: "Transfer-Encoding: chunked, gzip", text: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n` },
  { name: "version 1.2", text: `GET / HTTP/1.2\r\n${H}\r\n` },
  { name: "version 3.0", text: `GET / HTTP/3.0\r\n${H}\r\n` },
  { name: "lowercase method", text: `get / HTTP/1.1\r\n${H}\r\n` },
  { name: "unknown method", text: `FOO / HTTP/1.1\r\n${H}\r\n` },
  { name: "RTSP method", text: `DESCRIBE / HTTP/1.1\r\n${H}\r\n` },
  { name: "control byte in the target", text: `GET /a\x01b HTTP/1.1\r\n${H}\r\n` },
  { name: "UTF-8 in the target", text: `GET /caf\xc3\xa9 HTTP/1.1\r\n${H}\r\n` },
  { name: "space after the version", text: `GET / HTTP/1.1 \r\n${H}\r\n` },
  { name: "tab between method and target", text: `GET\t/ HTTP/1.1\r\n${H}\r\n` },
  { name: "lone CR line ends", text: "GET / HTTP/1.1\rHost: lab\r\r" },
  { name: "not HTTP at all", text: "hello\r\n" },
  { name: "Transfer-Encoding: identity", text: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: identity\r\n\r\n` },
];

/** Responses, good and bad, to `GET / HTTP/1.1`, held to Node's HTTP client (llhttp reading responses). */
export const LLHTTP_RESPONSES: readonly CorpusRequest[] = [
  // Good
  { name: "200 with Content-Length", text: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}" },
  { name: "chunked in two chunks", text: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n" },
  { name: "HTTP/1.0 to the close", text: "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello, until the close" },
  { name: "204 without a body", text: "HTTP/1.1 204 No Content\r\n\r\n" },
  { name: "304 with a Content-Length and no body", text: "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n" },
  { name: "302 with Location", text: "HTTP/1.1 302 Found\r\nLocation: /posts\r\nContent-Length: 0\r\n\r\n" },
  { name: "no reason phrase", text: "HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nok" },
  { name: "100 Continue then 200", text: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" },
  // Bad
  { name: "bare LF", text: "HTTP/1.1 200 OK\nContent-Length: 2\n\nok" },
  { name: "Content-Length and Transfer-Encoding", text: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" },
  { name: "two different Content-Lengths", text: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nokk" },
  { name: "Content-Length not digits", text: "HTTP/1.1 200 OK\r\nContent-Length: two\r\n\r\nok" },
  { name: "space in a header name", text: "HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 2\r\n\r\nok" },
  { name: "bad chunk size", text: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\nabc\r\n0\r\n\r\n" },
  { name: "four-digit status", text: "HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok" },
  { name: "body shorter than Content-Length", text: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc" },
  { name: "chunked body cut by the close", text: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab" },
  { name: "not HTTP", text: "SSH-2.0-OpenSSH_9.2\r\n" },
];
