// JIM accounts for the server's accounts mode (seed 002's authenticate: 200, or 402 for a wrong password or
// an unknown account). Passwords are kept as scrypt hashes (node:crypto, N=16384 r=8 p=1, 16-byte salt)
// and compared in constant time.

import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

export interface JimAccounts {
  /** Whether an account has this name (a msg to it while it is offline is 410, not 404). */
  has(name: string): boolean;
  /** True when the password is the account's; false for a wrong password or no such account. */
  verify(name: string, password: string): Promise<boolean>;
  /** Creates or replaces an account. */
  set(name: string, password: string): Promise<void>;
}

const KEY_BYTES = 32;

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

interface Hashed {
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** Accounts held in memory (the CLI server and tests); the lab's store keeps the same shape. */
export function createMemoryAccounts(initial: Readonly<Record<string, string>> = {}): JimAccounts & { ready: Promise<void> } {
  const accounts = new Map<string, Hashed>();
  // An unknown name costs the same scrypt as a known one, so timing does not tell which names exist.
  const decoy: Promise<Hashed> = (async () => {
    const salt = randomBytes(16);
    return { salt, hash: await derive(randomBytes(16).toString("hex"), salt) };
  })();
  const api: JimAccounts = {
    has: (name) => accounts.has(name),
    async verify(name, password) {
      const known = accounts.get(name);
      const entry = known ?? (await decoy);
      const got = await derive(password, entry.salt);
      return timingSafeEqual(got, entry.hash) && known !== undefined;
    },
    async set(name, password) {
      const salt = randomBytes(16);
      accounts.set(name, { salt, hash: await derive(password, salt) });
    },
  };
  const ready = Promise.all(Object.entries(initial).map(([name, password]) => api.set(name, password))).then(() => undefined);
  return { ...api, ready };
}
