// The store's schema, one migration per version. A database's version is SQLite's `user_version`
// pragma (https://sqlite.org/pragma.html#pragma_user_version); at open the store applies, in order and
// each in its own transaction, every migration above it. A migration, once released, is never edited:
// a change is a new migration at the end.

import type { Database } from "better-sqlite3";
import { SEED_DUMMIES } from "./seed-data";

export interface Migration {
  /** The version the database has once this migration ran (1, 2, ... in order). */
  readonly version: number;
  readonly description: string;
  readonly sql: string;
  /** Rows the new tables need in data sets that existed before it (in the same transaction). */
  readonly after?: (db: Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "data sets and seed 000's users",
    sql: `
      -- One row per data set: a lab session's own copy of the seed data, or the shared public set.
      CREATE TABLE datasets (
        name         TEXT PRIMARY KEY,
        created_ms   INTEGER NOT NULL,
        last_used_ms INTEGER NOT NULL,
        -- Ids are never reused within a data set, as the seed's next_id only grows.
        next_user_id INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX datasets_last_used ON datasets (last_used_ms);

      CREATE TABLE users (
        dataset TEXT    NOT NULL REFERENCES datasets (name) ON DELETE CASCADE,
        id      INTEGER NOT NULL,
        name    TEXT    NOT NULL,
        email   TEXT    NOT NULL,
        age     INTEGER NOT NULL,
        PRIMARY KEY (dataset, id)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: "seed 004's workshop dummies",
    sql: `
      ALTER TABLE datasets ADD COLUMN next_dummy_id INTEGER NOT NULL DEFAULT 1;

      CREATE TABLE dummies (
        dataset TEXT    NOT NULL REFERENCES datasets (name) ON DELETE CASCADE,
        id      INTEGER NOT NULL,
        day     INTEGER NOT NULL,
        weekday TEXT    NOT NULL,
        month   TEXT    NOT NULL,
        year    INTEGER NOT NULL,
        PRIMARY KEY (dataset, id)
      ) STRICT, WITHOUT ROWID;
    `,
    // Data sets made before the workshop existed get its seed rows, as a new one would.
    after(db) {
      const insert = db.prepare("INSERT INTO dummies (dataset, id, day, weekday, month, year) VALUES (?, ?, ?, ?, ?, ?)");
      const names = db.prepare<[], { name: string }>("SELECT name FROM datasets").all();
      for (const { name } of names) {
        for (const d of SEED_DUMMIES) insert.run(name, d.id, d.day, d.weekday, d.month, d.year);
      }
      db.prepare("UPDATE datasets SET next_dummy_id = ?").run(SEED_DUMMIES.length + 1);
    },
  },
  {
    version: 3,
    description: "JIM accounts (seed 002's authenticate), for the JIM server's accounts mode",
    sql: `
      -- One row per account: a scrypt hash of the password with its own salt (server/servers/jim/accounts.ts).
      CREATE TABLE jim_accounts (
        name       TEXT    PRIMARY KEY,
        salt       BLOB    NOT NULL,
        hash       BLOB    NOT NULL,
        created_ms INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    description: "when each user was made (seed 001's User.created_at)",
    sql: `
      ALTER TABLE users ADD COLUMN created_ms INTEGER NOT NULL DEFAULT 0;
      -- Users made before this version get their data set's time, as its seed users do.
      UPDATE users SET created_ms = (SELECT created_ms FROM datasets WHERE datasets.name = users.dataset);
    `,
  },
];

/** The version a database has once every migration ran. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;
