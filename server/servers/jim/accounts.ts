// JIM accounts for the server's accounts mode (seed 002's authenticate: 200, or 402 for a wrong password or
// an unknown account). Passwords are kept as scrypt hashes (node:crypto, N=16384 r=8 p=1, 16-byte salt)
// and compared in constant time; an unknown name costs the same scrypt, so timing does not tell which
// names exist. The rows live in the lab's store (server/store, table jim_accounts) or in memory.

import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import type { JimAccountRow, JimAccountsTable } from "../../store/store";

export interface JimAccounts {
  /** Whether an account has this name (a msg to it while it is offline is 410, not 404). */
  has(name: string): boolean;
  /** True when the password is the account's; false for a wrong password or no such account. */
  verify(name: string, password: string): Promise<boolean>;
  /** Creates an account or replaces its password. */
  set(name: string, password: string): Promise<void>;
}

const KEY_BYTES = 32;

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

async function hashed(password: string): Promise<JimAccountRow> {
  const salt = randomBytes(16);
  return { salt, hash: await derive(password, salt) };
}

/** Accounts over a table of rows: the store's jim_accounts, or a Map. */
export function createJimAccounts(table: JimAccountsTable): JimAccounts {
  let decoy: Promise<JimAccountRow> | undefined;
  return {
    has: (name) => table.get(name) !== undefined,
    async verify(name, password) {
      const known = table.get(name);
      const entry = known ?? (await (decoy ??= hashed(randomBytes(16).toString("hex"))));
      const got = await derive(password, entry.salt);
      return timingSafeEqual(got, entry.hash) && known !== undefined;
    },
    async set(name, password) {
      table.put(name, await hashed(password));
    },
  };
}

/** Accounts held in memory (tests, and the CLI server without --data-dir). */
export function createMemoryAccounts(): JimAccounts {
  const rows = new Map<string, JimAccountRow>();
  return createJimAccounts({ get: (name) => rows.get(name), put: (name, row) => void rows.set(name, row) });
}
