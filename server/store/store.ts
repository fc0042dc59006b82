// The lab's one store: SQLite through better-sqlite3, in a data folder made on first start (or in memory,
// for tests), in WAL mode, migrated to the current schema at open (./migrations.ts). Every server that
// keeps data (the HTTP APIs on 8080 now, the gRPC UserService later) reads and writes through this
// module; nothing else writes SQL.
//
// Data sets: each lab session gets its own copy of the seed data (./seed-data.ts) the first time it
// touches it, so students do not trample each other's lessons; clients no session claims share the public
// set. A reset puts a data set back to the seed. A session's data set left unused for DATASET_LIMITS.idleDays
// is dropped at the next start, and the least recently used goes when there are too many.
//
// Durability: WAL with synchronous=NORMAL loses no committed transaction when the process dies (kill -9);
// only a power cut may lose the last ones (https://sqlite.org/pragma.html#pragma_synchronous). The
// store.it.test.ts kills a child host in a burst of writes and counts the rows.

import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from "./migrations";
import { SEED_DUMMIES, SEED_USERS, type DummyRow, type UserRow } from "./seed-data";

export type { DummyRow, UserRow };

/** The data set of clients no lab session claims. */
export const PUBLIC_DATASET = "public";

/** A lab session's own data set. */
export function sessionDataset(sessionId: string): string {
  return `session:${sessionId}`;
}

/** The file the store keeps in its data folder. */
export const DB_FILE = "lab.db";

export interface DatasetLimits {
  readonly maxDatasets: number;
  readonly maxRowsPerTable: number;
  readonly idleDays: number;
}

export const DATASET_LIMITS: DatasetLimits = {
  /** Data sets kept at once; beyond it the least recently used session's set is dropped. */
  maxDatasets: 5_000,
  /** Rows of one table in one data set (a script that POSTs in a loop fills its own set, then gets an error). */
  maxRowsPerTable: 10_000,
  /** A session's data set unused this long is dropped when the store opens. */
  idleDays: 30,
};

export type StoreErrorCode = "full";

/** What the store refuses, with a code the servers map to their protocol's error. */
export class StoreError extends Error {
  override name = "StoreError";
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type UserFields = Omit<UserRow, "id" | "createdMs">;
export type DummyFields = Omit<DummyRow, "id">;

export interface UsersTable {
  list(dataset: string): UserRow[];
  get(dataset: string, id: number): UserRow | undefined;
  count(dataset: string): number;
  /** Throws StoreError("full") when the data set holds maxRowsPerTable users. */
  create(dataset: string, fields: UserFields): UserRow;
  /** Changes only the fields given; undefined when there is no such user. */
  update(dataset: string, id: number, fields: Partial<UserFields>): UserRow | undefined;
  /** The deleted user, or undefined when there was none. */
  remove(dataset: string, id: number): UserRow | undefined;
}

export interface DummiesTable {
  /** All of them in id order, or those whose id is one of `ids`. */
  list(dataset: string, ids?: readonly number[]): DummyRow[];
  get(dataset: string, id: number): DummyRow | undefined;
  create(dataset: string, fields: DummyFields): DummyRow;
  update(dataset: string, id: number, fields: Partial<DummyFields>): DummyRow | undefined;
  remove(dataset: string, id: number): boolean;
}

/** A JIM account's password as scrypt keeps it (server/servers/jim/accounts.ts). */
export interface JimAccountRow {
  readonly salt: Buffer;
  readonly hash: Buffer;
}

export interface JimAccountsTable {
  get(name: string): JimAccountRow | undefined;
  /** Creates the account, or replaces its password. */
  put(name: string, row: JimAccountRow): void;
}

export interface LabStore {
  /** The database file, or ":memory:". */
  readonly file: string;
  /** The schema version the database is at (SCHEMA_VERSION once open). */
  readonly version: number;
  readonly users: UsersTable;
  readonly dummies: DummiesTable;
  /** JIM accounts, shared by the whole lab (not per data set). */
  readonly jimAccounts: JimAccountsTable;
  /** Puts a data set back to the seed data. */
  reset(dataset: string): void;
  /** Whether a data set has been made (touched) yet. */
  has(dataset: string): boolean;
  close(): void;
}

export interface StoreOptions {
  /** The data folder (made when missing); absent for an in-memory database. */
  readonly dir?: string;
  readonly limits?: Partial<DatasetLimits>;
  /** The clock (tests of idle data sets). */
  readonly now?: () => number;
}

/** Applies every migration above the database's version, each in its own transaction. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS, upTo = SCHEMA_VERSION): number {
  let version = db.pragma("user_version", { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `The lab's database is at schema version ${version}, newer than this lab (${SCHEMA_VERSION}): run a newer lab, or start with another --data-dir.`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= version || migration.version > upTo) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      migration.after?.(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    version = migration.version;
  }
  return version;
}

/** Touches of a data set closer together than this write nothing (reads stay reads). */
const TOUCH_EVERY_MS = 60_000;

export function openStore(options: StoreOptions = {}): LabStore {
  const limits = { ...DATASET_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  let file = ":memory:";
  if (options.dir !== undefined) {
    fs.mkdirSync(options.dir, { recursive: true });
    file = path.join(options.dir, DB_FILE);
  }
  const db = new Database(file);
  try {
    if (file !== ":memory:") db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    // Another lab on the same folder (two labs side by side) waits for a lock instead of failing.
    db.pragma("busy_timeout = 5000");
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  const version = db.pragma("user_version", { simple: true }) as number;

  const sql = {
    datasetExists: db.prepare<[string], { name: string }>("SELECT name FROM datasets WHERE name = ?"),
    datasetCount: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM datasets"),
    leastUsed: db.prepare<[string], { name: string }>("SELECT name FROM datasets WHERE name != ? ORDER BY last_used_ms LIMIT 1"),
    insertDataset: db.prepare("INSERT INTO datasets (name, created_ms, last_used_ms, next_user_id, next_dummy_id) VALUES (?, ?, ?, ?, ?)"),
    deleteDataset: db.prepare("DELETE FROM datasets WHERE name = ?"),
    pruneIdle: db.prepare("DELETE FROM datasets WHERE name != ? AND last_used_ms < ?"),
    touch: db.prepare("UPDATE datasets SET last_used_ms = ? WHERE name = ?"),
    nextUserId: db.prepare<[string], { next_user_id: number }>("SELECT next_user_id FROM datasets WHERE name = ?"),
    bumpUserId: db.prepare("UPDATE datasets SET next_user_id = next_user_id + 1 WHERE name = ?"),
    nextDummyId: db.prepare<[string], { next_dummy_id: number }>("SELECT next_dummy_id FROM datasets WHERE name = ?"),
    bumpDummyId: db.prepare("UPDATE datasets SET next_dummy_id = next_dummy_id + 1 WHERE name = ?"),

    listUsers: db.prepare<[string], UserRow>("SELECT id, name, email, age, created_ms AS createdMs FROM users WHERE dataset = ? ORDER BY id"),
    getUser: db.prepare<[string, number], UserRow>("SELECT id, name, email, age, created_ms AS createdMs FROM users WHERE dataset = ? AND id = ?"),
    countUsers: db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM users WHERE dataset = ?"),
    insertUser: db.prepare("INSERT INTO users (dataset, id, name, email, age, created_ms) VALUES (?, ?, ?, ?, ?, ?)"),
    updateUser: db.prepare("UPDATE users SET name = ?, email = ?, age = ? WHERE dataset = ? AND id = ?"),
    deleteUser: db.prepare("DELETE FROM users WHERE dataset = ? AND id = ?"),
    clearUsers: db.prepare("DELETE FROM users WHERE dataset = ?"),

    listDummies: db.prepare<[string], DummyRow>("SELECT id, day, weekday, month, year FROM dummies WHERE dataset = ? ORDER BY id"),
    getDummy: db.prepare<[string, number], DummyRow>("SELECT id, day, weekday, month, year FROM dummies WHERE dataset = ? AND id = ?"),
    countDummies: db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM dummies WHERE dataset = ?"),
    insertDummy: db.prepare("INSERT INTO dummies (dataset, id, day, weekday, month, year) VALUES (?, ?, ?, ?, ?, ?)"),
    updateDummy: db.prepare("UPDATE dummies SET day = ?, weekday = ?, month = ?, year = ? WHERE dataset = ? AND id = ?"),
    deleteDummy: db.prepare("DELETE FROM dummies WHERE dataset = ? AND id = ?"),
    clearDummies: db.prepare("DELETE FROM dummies WHERE dataset = ?"),

    getJimAccount: db.prepare<[string], JimAccountRow>("SELECT salt, hash FROM jim_accounts WHERE name = ?"),
    putJimAccount: db.prepare(
      "INSERT INTO jim_accounts (name, salt, hash, created_ms) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET salt = excluded.salt, hash = excluded.hash",
    ),
  };

  // Session data sets nobody has used for a month are unreachable in practice (the cookie lasts 30 days).
  sql.pruneIdle.run(PUBLIC_DATASET, now() - limits.idleDays * 86_400_000);

  /** Data sets known to exist, and when this process last wrote their last_used_ms. */
  const touched = new Map<string, number>();

  function seed(dataset: string, at: number) {
    for (const u of SEED_USERS) sql.insertUser.run(dataset, u.id, u.name, u.email, u.age, at);
    for (const d of SEED_DUMMIES) sql.insertDummy.run(dataset, d.id, d.day, d.weekday, d.month, d.year);
  }

  /** Makes the data set (a copy of the seed) on first use; notes its use. Call inside a transaction. */
  function use(dataset: string) {
    const at = now();
    const last = touched.get(dataset);
    if (last !== undefined && at - last < TOUCH_EVERY_MS) return;
    // Absent: never made, or dropped since (a reset, or another lab on the same folder evicted it).
    if (sql.touch.run(at, dataset).changes === 0) {
      if (sql.datasetCount.get()!.n >= limits.maxDatasets) {
        const victim = sql.leastUsed.get(PUBLIC_DATASET);
        if (victim) {
          sql.deleteDataset.run(victim.name);
          touched.delete(victim.name);
        }
      }
      sql.insertDataset.run(dataset, at, at, SEED_USERS.length + 1, SEED_DUMMIES.length + 1);
      seed(dataset, at);
    }
    touched.set(dataset, at);
  }

  // One transaction each: the first touch of a data set seeds it atomically with the operation.
  const tx = <A extends unknown[], R>(fn: (dataset: string, ...args: A) => R) =>
    db.transaction((dataset: string, ...args: A): R => {
      use(dataset);
      return fn(dataset, ...args);
    });

  /**
   * A read: inside the transaction of tx() when the data set may have to be made (or its use noted),
   * else the statement alone, which SQLite runs as its own read transaction.
   */
  const read = <A extends unknown[], R>(fn: (dataset: string, ...args: A) => R) => {
    const inTransaction = tx(fn);
    return (dataset: string, ...args: A): R => {
      const last = touched.get(dataset);
      return last !== undefined && now() - last < TOUCH_EVERY_MS ? fn(dataset, ...args) : inTransaction(dataset, ...args);
    };
  };

  function full(what: string): StoreError {
    return new StoreError("full", `This data set holds ${limits.maxRowsPerTable} ${what}, as many as the lab keeps: delete some, or reset the data set.`);
  }

  const users: UsersTable = {
    list: read((dataset) => sql.listUsers.all(dataset)),
    get: read((dataset, id: number) => sql.getUser.get(dataset, id)),
    count: read((dataset) => sql.countUsers.get(dataset)!.n),
    create: tx((dataset, fields: UserFields): UserRow => {
      if (sql.countUsers.get(dataset)!.n >= limits.maxRowsPerTable) throw full("users");
      const id = sql.nextUserId.get(dataset)!.next_user_id;
      sql.bumpUserId.run(dataset);
      const createdMs = now();
      sql.insertUser.run(dataset, id, fields.name, fields.email, fields.age, createdMs);
      return { id, name: fields.name, email: fields.email, age: fields.age, createdMs };
    }),
    update: tx((dataset, id: number, fields: Partial<UserFields>) => {
      const user = sql.getUser.get(dataset, id);
      if (!user) return undefined;
      const next: UserRow = { ...user, name: fields.name ?? user.name, email: fields.email ?? user.email, age: fields.age ?? user.age };
      sql.updateUser.run(next.name, next.email, next.age, dataset, id);
      return next;
    }),
    remove: tx((dataset, id: number) => {
      const user = sql.getUser.get(dataset, id);
      if (user) sql.deleteUser.run(dataset, id);
      return user;
    }),
  };

  const dummies: DummiesTable = {
    list: read((dataset, ids?: readonly number[]) => {
      const all = sql.listDummies.all(dataset);
      if (ids === undefined) return all;
      const wanted = new Set(ids);
      return all.filter((d) => wanted.has(d.id));
    }),
    get: read((dataset, id: number) => sql.getDummy.get(dataset, id)),
    create: tx((dataset, fields: DummyFields): DummyRow => {
      if (sql.countDummies.get(dataset)!.n >= limits.maxRowsPerTable) throw full("dummies");
      const id = sql.nextDummyId.get(dataset)!.next_dummy_id;
      sql.bumpDummyId.run(dataset);
      sql.insertDummy.run(dataset, id, fields.day, fields.weekday, fields.month, fields.year);
      return { id, ...fields };
    }),
    update: tx((dataset, id: number, fields: Partial<DummyFields>) => {
      const dummy = sql.getDummy.get(dataset, id);
      if (!dummy) return undefined;
      const next: DummyRow = {
        id,
        day: fields.day ?? dummy.day,
        weekday: fields.weekday ?? dummy.weekday,
        month: fields.month ?? dummy.month,
        year: fields.year ?? dummy.year,
      };
      sql.updateDummy.run(next.day, next.weekday, next.month, next.year, dataset, id);
      return next;
    }),
    remove: tx((dataset, id: number) => sql.deleteDummy.run(dataset, id).changes > 0),
  };

  const reset = db.transaction((dataset: string) => {
    sql.deleteDataset.run(dataset);
    touched.delete(dataset);
    use(dataset);
  });

  return {
    file,
    version,
    users,
    dummies,
    jimAccounts: {
      get: (name) => sql.getJimAccount.get(name),
      put: (name, row) => void sql.putJimAccount.run(name, row.salt, row.hash, now()),
    },
    reset,
    has: (dataset) => touched.has(dataset) || sql.datasetExists.get(dataset) !== undefined,
    close: () => db.close(),
  };
}
