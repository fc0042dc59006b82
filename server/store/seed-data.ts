// The data every data set starts from (and returns to on reset).
// Users: seed 000's RESTAPIHandler.users, ids 1-3, so its next id is 4.
// Dummies: seed 004's workshop fills its table with `manage.py seed 10` and then creates the 11th with
// its POST lines; these ten are real calendar dates, each with its true weekday.

export interface UserRow {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly age: number;
  /** When the user was made (ms since the epoch): a seed user when its data set was (seed 001's created_at). */
  readonly createdMs: number;
}

/** A seed user: its data set gives it its time. */
export type SeedUser = Omit<UserRow, "createdMs">;

export interface DummyRow {
  readonly id: number;
  readonly day: number;
  readonly weekday: string;
  readonly month: string;
  readonly year: number;
}

export const SEED_USERS: readonly SeedUser[] = [
  { id: 1, name: "Alice", email: "alice@example.com", age: 30 },
  { id: 2, name: "Bob", email: "bob@example.com", age: 25 },
  { id: 3, name: "Charlie", email: "charlie@example.com", age: 35 },
];

/** The workshop's fixed lists (a value outside them is a 400 with the field's error). */
export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
export const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

const DATES: readonly (readonly [day: number, month: number, year: number])[] = [
  [29, 10, 1969],
  [1, 1, 1983],
  [12, 3, 1989],
  [6, 8, 1991],
  [1, 5, 1996],
  [28, 6, 1999],
  [14, 9, 2004],
  [11, 12, 2011],
  [7, 6, 2014],
  [6, 6, 2022],
];

/** getUTCDay() counts from Sunday; WEEKDAYS from Monday. */
const weekdayOf = (day: number, month: number, year: number) => WEEKDAYS[(new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7]!;

export const SEED_DUMMIES: readonly DummyRow[] = DATES.map(([day, month, year], i) => ({
  id: i + 1,
  day,
  weekday: weekdayOf(day, month, year),
  month: MONTHS[month - 1]!,
  year,
}));
