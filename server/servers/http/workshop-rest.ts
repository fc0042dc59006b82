// Seed 004's workshop REST API (a Django REST framework view over its Dummie model), as its README's curl
// lines use it, over the store's dummies:
//   GET    /api/rest/dummies[?id=1&id=2]  200 [ {...}, ... ]  (repeated id filters; a bad id is 400)
//   GET    /api/rest/dummie/{id}          200 {...} | 404 {"detail":"Not found."}
//   POST   /api/rest/dummie               201 {...}   multipart form (curl --form), urlencoded or JSON
//   PUT    /api/rest/dummie/{id}          200 {...}   every field
//   PATCH  /api/rest/dummie/{id}          200 {...}   the fields given
//   DELETE /api/rest/dummie/{id}          204
// Fields: day (1-31), weekday and month from their fixed lists, year (1-9999); numeric strings are
// coerced as DRF's IntegerField does ("1985", "2.0"). Errors are DRF's: 400 with a list of messages per
// field, 404 {"detail":"Not found."}, 405 with Allow, 415 for a body type it has no parser for, and
// its JSON is compact (separators "," and ":") with non-ASCII kept as UTF-8.

import type { DummyFields, DummyRow } from "../../store/store";
import { MONTHS, WEEKDAYS } from "../../store/seed-data";
import { mediaType, parseForm, parseJson, readBody } from "./body";
import { send, sendCacheable, type Area, type Exchange, type Headers } from "./routing";

const JSON_TYPE = { "Content-Type": "application/json" };
const CORS: Headers = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Content-Type" };

function json(x: Exchange, status: number, body: unknown, headers: Headers = {}) {
  send(x, status, JSON.stringify(body), { ...JSON_TYPE, ...headers });
}

const detail = (x: Exchange, status: number, message: string, headers?: Headers) => json(x, status, { detail: message }, headers);

/** DRF's parsers for this view: JSONParser, FormParser, MultiPartParser. */
const PARSED_TYPES = new Set(["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]);

type Input = ReadonlyMap<string, unknown>;

/** The request's data as DRF's request.data: a JSON object, or the form's fields. */
async function requestData(x: Exchange): Promise<Input | { problem: unknown; status: number }> {
  const type = mediaType(x.req);
  if (!PARSED_TYPES.has(type)) {
    return { status: 415, problem: { detail: `Unsupported media type "${x.req.headers["content-type"] ?? ""}" in request.` } };
  }
  const body = await readBody(x);
  if (type === "application/json") {
    const parsed = parseJson(body);
    if (!parsed.ok) return { status: 400, problem: { detail: `JSON parse error - ${parsed.message}` } };
    const value = parsed.value;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      const got = value === null ? "NoneType" : Array.isArray(value) ? "list" : typeof value === "string" ? "str" : typeof value === "boolean" ? "bool" : Number.isInteger(value) ? "int" : "float";
      return { status: 400, problem: { non_field_errors: [`Invalid data. Expected a dictionary, but got ${got}.`] } };
    }
    return new Map(Object.entries(value));
  }
  return parseForm(x.req, body);
}

/** DRF IntegerField.to_internal_value: an integer, or a string of one (trailing ".0" allowed). */
function integerOf(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== "string" || value.length > 1000) return undefined;
  const text = value.trim().replace(/\.0*$/, "");
  return /^[+-]?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
}

/** Python's str() of a JSON value, as DRF's ChoiceField quotes it in its error. */
function pythonStr(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === true) return "True";
  if (value === false) return "False";
  if (value === null) return "None";
  return typeof value === "number" ? String(value) : JSON.stringify(value);
}

interface IntegerSpec {
  readonly kind: "integer";
  readonly min: number;
  readonly max: number;
}
interface ChoiceSpec {
  readonly kind: "choice";
  readonly choices: readonly string[];
}
const FIELDS: Readonly<Record<keyof DummyFields, IntegerSpec | ChoiceSpec>> = {
  day: { kind: "integer", min: 1, max: 31 },
  weekday: { kind: "choice", choices: WEEKDAYS },
  month: { kind: "choice", choices: MONTHS },
  year: { kind: "integer", min: 1, max: 9999 },
};

/**
 * The serializer's validation: each field given checked (all of them required unless `partial`),
 * errors as DRF words them, keyed by field in declaration order.
 */
export function validateDummy(data: Input, partial: boolean): { fields: Partial<DummyFields> } | { errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const fields: Record<string, string | number> = {};
  for (const [name, spec] of Object.entries(FIELDS)) {
    if (!data.has(name)) {
      if (!partial) errors[name] = ["This field is required."];
      continue;
    }
    const raw = data.get(name);
    if (raw === null) {
      errors[name] = ["This field may not be null."];
    } else if (spec.kind === "integer") {
      const value = integerOf(raw);
      if (value === undefined) errors[name] = ["A valid integer is required."];
      else if (value < spec.min) errors[name] = [`Ensure this value is greater than or equal to ${spec.min}.`];
      else if (value > spec.max) errors[name] = [`Ensure this value is less than or equal to ${spec.max}.`];
      else fields[name] = value;
    } else {
      const text = pythonStr(raw);
      if (text === "") errors[name] = ['"" is not a valid choice.'];
      else if (typeof raw !== "string" || !spec.choices.includes(raw)) errors[name] = [`"${text}" is not a valid choice.`];
      else fields[name] = raw;
    }
  }
  return Object.keys(errors).length > 0 ? { errors } : { fields: fields as Partial<DummyFields> };
}

/** The {id} of /api/rest/dummie/{id}: Django's <int:pk> converter takes digits only. */
const idOf = (x: Exchange) => Number(x.params[0]);

const dummyJson = (d: DummyRow) => ({ id: d.id, day: d.day, weekday: d.weekday, month: d.month, year: d.year });

async function list(x: Exchange) {
  const raw = x.url.searchParams.getAll("id");
  let ids: number[] | undefined;
  if (raw.length > 0) {
    // django-filter's NumberFilter in "in" mode over the repeated parameter.
    const parsed = raw.map((value) => integerOf(value));
    if (parsed.some((id) => id === undefined)) return json(x, 400, { id: ["Enter a whole number."] });
    ids = parsed as number[];
  }
  const rows = x.store.dummies.list(await x.dataset(), ids);
  sendCacheable(x, JSON.stringify(rows.map(dummyJson)), JSON_TYPE);
}

async function retrieve(x: Exchange) {
  const dummy = Number.isSafeInteger(idOf(x)) ? x.store.dummies.get(await x.dataset(), idOf(x)) : undefined;
  if (!dummy) return detail(x, 404, "Not found.");
  sendCacheable(x, JSON.stringify(dummyJson(dummy)), JSON_TYPE);
}

async function create(x: Exchange) {
  const data = await requestData(x);
  if ("problem" in data) return json(x, data.status, data.problem);
  const checked = validateDummy(data, false);
  if ("errors" in checked) return json(x, 400, checked.errors);
  const row = x.store.dummies.create(await x.dataset(), checked.fields as DummyFields);
  json(x, 201, dummyJson(row));
}

function update(partial: boolean) {
  return async (x: Exchange) => {
    const id = idOf(x);
    const dataset = await x.dataset();
    // DRF's get_object() comes first: an unknown id is 404 whatever the body.
    if (!Number.isSafeInteger(id) || !x.store.dummies.get(dataset, id)) return detail(x, 404, "Not found.");
    const data = await requestData(x);
    if ("problem" in data) return json(x, data.status, data.problem);
    const checked = validateDummy(data, partial);
    if ("errors" in checked) return json(x, 400, checked.errors);
    const row = x.store.dummies.update(dataset, id, checked.fields);
    if (!row) return detail(x, 404, "Not found.");
    json(x, 200, dummyJson(row));
  };
}

async function destroy(x: Exchange) {
  const id = idOf(x);
  if (!Number.isSafeInteger(id) || !x.store.dummies.remove(await x.dataset(), id)) return detail(x, 404, "Not found.");
  send(x, 204, "");
}

export const workshopRest: Area = {
  prefix: "/api/rest/",
  cors: CORS,
  routes: [
    { path: /^\/api\/rest\/dummies\/?$/, methods: { GET: list } },
    { path: /^\/api\/rest\/dummie\/?$/, methods: { POST: create } },
    { path: /^\/api\/rest\/dummie\/(\d+)\/?$/, methods: { GET: retrieve, PUT: update(false), PATCH: update(true), DELETE: destroy } },
  ],
  problem(x, status, message, headers) {
    detail(x, status, status === 404 ? "Not found." : message, headers);
  },
};
