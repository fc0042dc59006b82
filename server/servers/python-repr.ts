// How Python prints a socket address tuple, because seed 000's server greets with
// f"...{client_address}": ('127.0.0.1', 54321) for IPv4, ('::1', 54321, 0, 0) for IPv6.

export function pythonAddressRepr(ip: string, port: number): string {
  return ip.includes(":") ? `('${ip}', ${port}, 0, 0)` : `('${ip}', ${port})`;
}

/** Python's time.strftime('%Y-%m-%d %H:%M:%S') in local time. */
export function pythonStrftime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return (
    `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ` +
    `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`
  );
}

/**
 * Python's datetime.now().isoformat(): local time, microseconds, and no fraction at all when the
 * microseconds are zero (as CPython does).
 */
export function pythonIsoformat(epochMs: number): string {
  const date = new Date(Math.floor(epochMs));
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const micros = Math.floor((epochMs * 1000) % 1_000_000);
  const base =
    `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T` +
    `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
  return micros === 0 ? base : `${base}.${p(micros, 6)}`;
}

/** Python's str.strip() with no argument: Unicode whitespace at both ends. */
export function pythonStrip(text: string): string {
  // Python counts the separators U+001C..U+001F and NEL as whitespace; JavaScript's \s does not.
  // eslint-disable-next-line no-control-regex
  return text.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/gu, "");
}

/**
 * socket.send(data) then socket.close(), as the seeds' servers end a conversation: FIN after the data,
 * and the descriptor closed, so anything the client sends afterwards is answered by the kernel with RST.
 */
export function sendAndClose(socket: import("node:net").Socket, data?: string | Uint8Array): void {
  socket.once("finish", () => socket.destroy());
  if (data === undefined) socket.end();
  else socket.end(data);
}
