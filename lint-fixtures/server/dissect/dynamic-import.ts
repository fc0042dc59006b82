// no-restricted-syntax: server/dissect may not import dynamically (here node:zlib, which no-restricted-imports would not see).
export async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const zlib = await import("node:zlib");
  return zlib.inflateSync(bytes);
}
