// The store: migrations from an empty database and from the previous version, data sets copied from the
// seed on first touch and kept apart, reset, and the bounds on rows and data sets.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS, SCHEMA_VERSION } from "./migrations";
import { SEED_DUMMIES, SEED_USERS } from "./seed-data";
import { DB_FILE, migrate, openStore, PUBLIC_DATASET, sessionDataset, StoreError, type LabStore } from "./store";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-store-"));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The tests' clock, unless a test gives its own: rows' created times are then known. */
const T0 = 1_780_000_000_000;
/** Seed 000's users as a data set made at `at` holds them. */
const seeded = (at: number) => SEED_USERS.map((user) => ({ ...user, createdMs: at }));

function open(options: Parameters<typeof openStore>[0] = {}): LabStore {
  const store = openStore({ now: () => T0, ...options });
  cleanups.push(() => store.close());
  return store;
}

const tables = (db: Database.Database) =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((t) => t.name);

describe("migrations", () => {
  it("are numbered 1, 2, ... in order", () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it("build an empty database up to the current version, in a data folder made on first start, in WAL mode", () => {
    const dir = path.join(tempDir(), "nested", "data");
    const store = open({ dir });
    expect(store.version).toBe(SCHEMA_VERSION);
    expect(store.file).toBe(path.join(dir, DB_FILE));
    expect(fs.existsSync(store.file)).toBe(true);
    const db = new Database(store.file, { readonly: true });
    cleanups.push(() => db.close());
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(tables(db)).toEqual(["datasets", "dummies", "jim_accounts", "users"]);
  });

  it("take a database at version 1 to the current one, keeping its rows and seeding the dummies table", () => {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE);
    const old = new Database(file);
    old.pragma("journal_mode = WAL");
    expect(migrate(old, MIGRATIONS, 1)).toBe(1);
    expect(tables(old)).toEqual(["datasets", "users"]);
    // What version 1's store wrote: a data set with a changed and an added user.
    old.prepare("INSERT INTO datasets (name, created_ms, last_used_ms, next_user_id) VALUES (?, ?, ?, ?)").run("public", T0 - 5000, T0 - 5000, 5);
    const insert = old.prepare("INSERT INTO users (dataset, id, name, email, age) VALUES (?, ?, ?, ?, ?)");
    insert.run("public", 1, "Alice Updated", "alice@example.com", 31);
    insert.run("public", 4, "David", "david@example.com", 28);
    old.close();

    const store = open({ dir });
    expect(store.version).toBe(SCHEMA_VERSION);
    // Users from before version 4 take their data set's time.
    expect(store.users.list(PUBLIC_DATASET)).toEqual([
      { id: 1, name: "Alice Updated", email: "alice@example.com", age: 31, createdMs: T0 - 5000 },
      { id: 4, name: "David", email: "david@example.com", age: 28, createdMs: T0 - 5000 },
    ]);
    expect(store.users.create(PUBLIC_DATASET, { name: "Eve", email: "eve@example.com", age: 22 }).id).toBe(5);
    expect(store.dummies.list(PUBLIC_DATASET)).toEqual(SEED_DUMMIES);
    expect(store.dummies.create(PUBLIC_DATASET, { day: 1, weekday: "Monday", month: "January", year: 1984 }).id).toBe(SEED_DUMMIES.length + 1);
  });

  it("refuses a database newer than this lab, saying what to do", () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, DB_FILE));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openStore({ dir })).toThrow(/newer than this lab.*--data-dir/);
  });

  it("keeps the data across a reopen", () => {
    const dir = tempDir();
    const first = openStore({ dir, now: () => T0 + 1 });
    first.users.create(sessionDataset("a"), { name: "David", email: "david@example.com", age: 28 });
    first.close();
    const second = open({ dir });
    expect(second.users.get(sessionDataset("a"), 4)).toEqual({ id: 4, name: "David", email: "david@example.com", age: 28, createdMs: T0 + 1 });
  });
});

describe("data sets", () => {
  it("start as a copy of the seed on first touch: seed 000's users and the workshop's ten dummies", () => {
    const store = open();
    expect(store.has(PUBLIC_DATASET)).toBe(false);
    expect(store.users.list(PUBLIC_DATASET)).toEqual([
      { id: 1, name: "Alice", email: "alice@example.com", age: 30, createdMs: T0 },
      { id: 2, name: "Bob", email: "bob@example.com", age: 25, createdMs: T0 },
      { id: 3, name: "Charlie", email: "charlie@example.com", age: 35, createdMs: T0 },
    ]);
    expect(store.has(PUBLIC_DATASET)).toBe(true);
    expect(store.users.count(PUBLIC_DATASET)).toBe(SEED_USERS.length);
    expect(store.dummies.list(PUBLIC_DATASET)).toHaveLength(10);
    expect(store.dummies.get(PUBLIC_DATASET, 2)).toEqual({ id: 2, day: 1, weekday: "Saturday", month: "January", year: 1983 });
  });

  it("are kept apart: one session's changes are not another's, nor the public set's", () => {
    const store = open();
    const a = sessionDataset("a");
    const b = sessionDataset("b");
    store.users.create(a, { name: "David", email: "david@example.com", age: 28 });
    store.users.update(a, 1, { name: "Alice Updated", age: 31 });
    store.users.remove(a, 2);
    store.dummies.remove(a, 1);
    expect(store.users.list(a).map((u) => u.name)).toEqual(["Alice Updated", "Charlie", "David"]);
    expect(store.users.list(b)).toEqual(seeded(T0));
    expect(store.users.list(PUBLIC_DATASET)).toEqual(seeded(T0));
    expect(store.dummies.list(b)).toEqual(SEED_DUMMIES);
    // Ids count per data set.
    expect(store.users.create(b, { name: "Eve", email: "eve@example.com", age: 22 }).id).toBe(4);
  });

  it("give a user the time it was made, which an update keeps", () => {
    let clock = T0;
    const store = open({ now: () => clock });
    store.users.list(PUBLIC_DATASET);
    clock = T0 + 60_000;
    const made = store.users.create(PUBLIC_DATASET, { name: "David", email: "david@example.com", age: 28 });
    expect(made.createdMs).toBe(T0 + 60_000);
    clock = T0 + 120_000;
    expect(store.users.update(PUBLIC_DATASET, made.id, { age: 29 })?.createdMs).toBe(T0 + 60_000);
    expect(store.users.get(PUBLIC_DATASET, made.id)?.createdMs).toBe(T0 + 60_000);
    // The seed's users: when their data set was made.
    expect(store.users.get(PUBLIC_DATASET, 1)?.createdMs).toBe(T0);
  });

  it("never reuse an id, as the seed's next_id only grows", () => {
    const store = open();
    const created = store.users.create(PUBLIC_DATASET, { name: "David", email: "david@example.com", age: 28 });
    store.users.remove(PUBLIC_DATASET, created.id);
    expect(store.users.create(PUBLIC_DATASET, { name: "Eve", email: "eve@example.com", age: 22 }).id).toBe(created.id + 1);
  });

  it("update only the fields given, and say when there is nothing to update or delete", () => {
    const store = open();
    expect(store.users.update(PUBLIC_DATASET, 1, { age: 31 })).toEqual({ id: 1, name: "Alice", email: "alice@example.com", age: 31, createdMs: T0 });
    expect(store.users.update(PUBLIC_DATASET, 999, { age: 31 })).toBeUndefined();
    expect(store.users.remove(PUBLIC_DATASET, 999)).toBeUndefined();
    expect(store.dummies.update(PUBLIC_DATASET, 3, { year: 1990 })).toMatchObject({ id: 3, day: 12, year: 1990 });
    expect(store.dummies.remove(PUBLIC_DATASET, 999)).toBe(false);
    expect(store.dummies.list(PUBLIC_DATASET, [1, 3, 999]).map((d) => d.id)).toEqual([1, 3]);
    expect(store.dummies.list(PUBLIC_DATASET, [])).toEqual([]);
  });

  it("reset puts a data set back to the seed, ids included, and leaves the others alone", () => {
    const store = open();
    const a = sessionDataset("a");
    const b = sessionDataset("b");
    store.users.create(a, { name: "David", email: "david@example.com", age: 28 });
    store.users.remove(a, 1);
    store.dummies.create(a, { day: 1, weekday: "Monday", month: "January", year: 1984 });
    store.users.create(b, { name: "Eve", email: "eve@example.com", age: 22 });
    store.reset(a);
    expect(store.users.list(a)).toEqual(seeded(T0));
    expect(store.dummies.list(a)).toEqual(SEED_DUMMIES);
    expect(store.users.create(a, { name: "David", email: "david@example.com", age: 28 }).id).toBe(4);
    expect(store.users.list(b).map((u) => u.name)).toEqual(["Alice", "Bob", "Charlie", "Eve"]);
  });

  it("hold a bounded number of rows: the next create is a StoreError with code full", () => {
    const store = open({ limits: { maxRowsPerTable: 5 } });
    store.users.create(PUBLIC_DATASET, { name: "D", email: "d@example.com", age: 1 });
    store.users.create(PUBLIC_DATASET, { name: "E", email: "e@example.com", age: 2 });
    const error = (() => {
      try {
        store.users.create(PUBLIC_DATASET, { name: "F", email: "f@example.com", age: 3 });
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe("full");
    expect(store.users.count(PUBLIC_DATASET)).toBe(5);
  });

  it("are bounded in number: the least recently used session's set goes, never the public one", () => {
    let clock = 1_000_000;
    const store = open({ limits: { maxDatasets: 3 }, now: () => (clock += 120_000) });
    store.users.list(PUBLIC_DATASET);
    store.users.list(sessionDataset("old"));
    store.users.list(sessionDataset("newer"));
    store.users.list(PUBLIC_DATASET);
    store.users.list(sessionDataset("newest"));
    expect(store.has(sessionDataset("old"))).toBe(false);
    expect(store.has(PUBLIC_DATASET)).toBe(true);
    expect(store.has(sessionDataset("newer"))).toBe(true);
    expect(store.has(sessionDataset("newest"))).toBe(true);
  });

  it("drop a session's set unused for a month when the store opens, and keep the public one", () => {
    const dir = tempDir();
    let clock = Date.UTC(2026, 0, 1);
    const first = openStore({ dir, now: () => clock });
    first.users.create(sessionDataset("gone"), { name: "D", email: "d@example.com", age: 1 });
    first.users.list(PUBLIC_DATASET);
    clock += 20 * 86_400_000;
    first.users.list(sessionDataset("kept"));
    first.close();
    clock += 15 * 86_400_000;
    const second = open({ dir, now: () => clock });
    expect(second.has(sessionDataset("gone"))).toBe(false);
    expect(second.has(sessionDataset("kept"))).toBe(true);
    expect(second.has(PUBLIC_DATASET)).toBe(true);
  });
});
