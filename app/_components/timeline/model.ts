// The packet timeline's pure logic: lanes, rows and gaps, time and byte formatting, field lookup by
// byte offset, and the selection kept in the URL (?e=<seq>&f=<field path>). No React, no DOM, so
// model.test.ts can check it with real values.

import { toJson, type JsonValue } from "@bufbuild/protobuf";
import {
  ConversationSchema,
  EventSchema,
  type Conversation,
  type Endpoint,
  type Event,
  type Field,
  type Finding,
  type Frame,
} from "@/gen/lab/v1/timeline_pb";

/** Height of one ladder row (an arrow or a gap marker), in CSS pixels. Fixed, so rows are never measured. */
export const ROW_HEIGHT = 44;
/**
 * Narrowest lane (an endpoint's vertical line and the space around it); below that the ladder scrolls.
 * Small enough that one conversation's two lanes and the time column fit a 390 px phone.
 */
export const LANE_WIDTH = 110;
/** Widest lane: lanes spread to fill a wide ladder, but arrows stay short enough to follow by eye. */
export const MAX_LANE_WIDTH = 420;
/** Width of the sticky time column on the left of the ladder: room for "3,600,000.000" (one hour). */
export const TIME_COLUMN_WIDTH = 112;
/** A pause longer than this between two shown events gets a gap marker row ("⋯ 2.4 s"). */
export const GAP_THRESHOLD_NS = 1_000_000_000n;
/** Bytes in one row of the hex view, as in Wireshark and xxd. */
export const BYTES_PER_ROW = 16;
/** Bytes in one row of a hex view too narrow for BYTES_PER_ROW (the details beside the ladder). */
export const NARROW_BYTES_PER_ROW = 8;

// ---------------------------------------------------------------------------------------------
// Endpoints and lanes

/** "127.0.0.1:8888", or "[::1]:8888" for IPv6 (RFC 3986 §3.2.2 brackets). */
export function formatEndpoint(endpoint: Endpoint | undefined): string {
  if (!endpoint) return "?";
  const ip = endpoint.ip === "" ? "?" : endpoint.ip;
  return ip.includes(":") ? `[${ip}]:${endpoint.port}` : `${ip}:${endpoint.port}`;
}

export type LaneSide = "client" | "server";

export interface Lane {
  /** "client|127.0.0.1:53122" or "server|127.0.0.1:8888". */
  readonly key: string;
  readonly side: LaneSide;
  readonly endpoint: string;
  /** Lab services reached on this lane (server lanes), in order of first appearance. */
  readonly services: readonly string[];
  /** Horizontal centre of the lane's line, in pixels from the ladder's left edge. */
  readonly x: number;
}

export interface LaneLayout {
  readonly lanes: readonly Lane[];
  /** Total ladder width: the time column plus every lane. */
  readonly width: number;
  readonly laneWidth: number;
  /** For each shown conversation: its client lane and server lane. */
  readonly ends: ReadonlyMap<string, { readonly client: Lane; readonly server: Lane }>;
}

/**
 * Client lanes on the left, lab-server lanes on the right, each in order of first appearance.
 * Conversations to the same server endpoint share its lane, so three `nc` sessions to the echo
 * server draw as three client lanes converging on one server lane.
 */
export function layoutLanes(conversations: Iterable<Conversation>, laneWidth: number = LANE_WIDTH): LaneLayout {
  const clients = new Map<string, { endpoint: string; services: string[] }>();
  const servers = new Map<string, { endpoint: string; services: string[] }>();
  const pairs: Array<[string, string, string]> = [];
  for (const conversation of conversations) {
    const client = formatEndpoint(conversation.client);
    const server = formatEndpoint(conversation.server);
    if (!clients.has(client)) clients.set(client, { endpoint: client, services: [] });
    const serverLane = servers.get(server) ?? { endpoint: server, services: [] };
    servers.set(server, serverLane);
    if (conversation.service !== "" && !serverLane.services.includes(conversation.service)) {
      serverLane.services.push(conversation.service);
    }
    pairs.push([conversation.id, client, server]);
  }
  const lanes: Lane[] = [];
  const byKey = new Map<string, Lane>();
  const place = (side: LaneSide, entries: Map<string, { endpoint: string; services: string[] }>) => {
    for (const { endpoint, services } of entries.values()) {
      const lane: Lane = {
        key: `${side}|${endpoint}`,
        side,
        endpoint,
        services,
        x: TIME_COLUMN_WIDTH + lanes.length * laneWidth + laneWidth / 2,
      };
      lanes.push(lane);
      byKey.set(lane.key, lane);
    }
  };
  place("client", clients);
  place("server", servers);
  const ends = new Map<string, { client: Lane; server: Lane }>();
  for (const [id, client, server] of pairs) {
    const clientLane = byKey.get(`client|${client}`);
    const serverLane = byKey.get(`server|${server}`);
    if (clientLane && serverLane) ends.set(id, { client: clientLane, server: serverLane });
  }
  return { lanes, width: TIME_COLUMN_WIDTH + lanes.length * laneWidth, laneWidth, ends };
}

/** The lane width that fills `available` pixels, within [LANE_WIDTH, MAX_LANE_WIDTH]. */
export function fitLaneWidth(available: number, laneCount: number): number {
  if (laneCount === 0) return LANE_WIDTH;
  const fill = Math.floor((available - TIME_COLUMN_WIDTH) / laneCount);
  return Math.min(MAX_LANE_WIDTH, Math.max(LANE_WIDTH, fill));
}

/**
 * True when every whitespace-separated term of the query occurs in the conversation's id, service,
 * protocol or either endpoint ("echo 5312" finds the echo conversation from port 53122).
 */
export function conversationMatches(conversation: Conversation, query: string): boolean {
  const terms = query.toLowerCase().split(/\s+/).filter((term) => term !== "");
  if (terms.length === 0) return true;
  const haystack = [
    conversation.id,
    conversation.service,
    conversation.protocol,
    formatEndpoint(conversation.client),
    formatEndpoint(conversation.server),
  ]
    .join(" ")
    .toLowerCase();
  return terms.every((term) => haystack.includes(term));
}

// ---------------------------------------------------------------------------------------------
// Rows: one per shown event, plus gap markers where real time passed

export type Row =
  | { readonly kind: "event"; readonly index: number; readonly gapBeforeNs: bigint | null }
  | { readonly kind: "gap"; readonly ns: bigint; readonly beforeIndex: number };

export interface RowIndex {
  /** Shared and appended to by later extendRows calls; read only the first `count` entries. */
  readonly rows: readonly Row[];
  readonly count: number;
  readonly events: readonly Event[];
  readonly accept: (event: Event) => boolean;
}

interface RowState extends RowIndex {
  readonly rows: Row[];
  readonly scanned: number;
  readonly lastEvent: Event | undefined;
  readonly lastShownNs: bigint | null;
}

/**
 * Rows for the events that `accept` keeps, with a gap row before an event that came more than
 * `thresholdNs` after the previous shown one. Given the previous result for a prefix of the same
 * events and the same `accept`, only the new events are scanned: the store appends, so at 100,000
 * events a new batch costs its own length, not the whole history.
 */
export function extendRows(
  previous: RowIndex | null,
  events: readonly Event[],
  accept: (event: Event) => boolean,
  thresholdNs: bigint = GAP_THRESHOLD_NS,
): RowIndex {
  const prev = previous as RowState | null;
  const reusable =
    prev !== null &&
    prev.accept === accept &&
    prev.rows.length === prev.count &&
    prev.scanned <= events.length &&
    (prev.scanned === 0 || events[prev.scanned - 1] === prev.lastEvent);
  const rows: Row[] = reusable ? prev.rows : [];
  let lastShownNs = reusable ? prev.lastShownNs : null;
  const start = reusable ? prev.scanned : 0;
  for (let index = start; index < events.length; index++) {
    const event = events[index];
    if (event === undefined || !accept(event)) continue;
    let gapBeforeNs: bigint | null = null;
    if (lastShownNs !== null && event.monoNs - lastShownNs > thresholdNs) {
      gapBeforeNs = event.monoNs - lastShownNs;
      rows.push({ kind: "gap", ns: gapBeforeNs, beforeIndex: index });
    }
    rows.push({ kind: "event", index, gapBeforeNs });
    lastShownNs = event.monoNs;
  }
  const state: RowState = {
    rows,
    count: rows.length,
    events,
    accept,
    scanned: events.length,
    lastEvent: events[events.length - 1],
    lastShownNs,
  };
  return state;
}

/** Row position of the event at `eventIndex`, or -1 when it is filtered out. Binary search: rows ascend. */
export function rowOfEvent(index: RowIndex, eventIndex: number): number {
  let lo = 0;
  let hi = index.count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const row = index.rows[mid];
    if (row === undefined) return -1;
    const key = row.kind === "event" ? row.index : row.beforeIndex - 0.5;
    if (key === eventIndex) return mid;
    if (key < eventIndex) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * The scrollTop that shows row `row` of a fixed-height list below a sticky header: "center" puts it
 * mid-view (a shared link), "nearest" scrolls the least that shows it whole (a key press).
 */
export function rowScrollTop(
  row: number,
  view: { readonly scrollTop: number; readonly height: number; readonly header: number },
  align: "center" | "nearest",
): number {
  const start = view.header + row * ROW_HEIGHT;
  const end = start + ROW_HEIGHT;
  if (align === "center") return Math.max(0, start - view.header - (view.height - view.header - ROW_HEIGHT) / 2);
  if (start < view.scrollTop + view.header) return Math.max(0, start - view.header);
  if (end > view.scrollTop + view.height) return end - view.height;
  return view.scrollTop;
}

/** Index of the event with this seq, or -1. Binary search: the store keeps events in seq order. */
export function findEventIndex(events: readonly Event[], seq: bigint): number {
  let lo = 0;
  let hi = events.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = events[mid]?.seq;
    if (at === undefined) return -1;
    if (at === seq) return mid;
    if (at < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export type RowStep = "next" | "previous" | "first" | "last" | { readonly by: number };

/**
 * The event row that a key press moves to from row `from` (null: nothing selected yet), skipping gap
 * rows. Returns null when there is no event row at all.
 */
export function stepRow(index: RowIndex, from: number | null, step: RowStep): number | null {
  const isEvent = (row: number) => index.rows[row]?.kind === "event";
  const last = index.count - 1;
  if (last < 0) return null;
  let target: number;
  let direction: 1 | -1;
  if (step === "first") [target, direction] = [0, 1];
  else if (step === "last") [target, direction] = [last, -1];
  else if (from === null) [target, direction] = step === "previous" ? [last, -1] : [0, 1];
  else {
    const by = step === "next" ? 1 : step === "previous" ? -1 : step.by;
    target = Math.min(last, Math.max(0, from + by));
    direction = by < 0 ? -1 : 1;
  }
  for (let row = target; row >= 0 && row <= last; row += direction) if (isEvent(row)) return row;
  for (let row = target; row >= 0 && row <= last; row -= direction) if (isEvent(row)) return row;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Time

/** Milliseconds from `baseNs` to `monoNs` (both from the lab host's monotonic clock). */
export function elapsedMs(monoNs: bigint, baseNs: bigint): number {
  return Number(monoNs - baseNs) / 1e6;
}

const msFormats = new Map<string, Intl.NumberFormat>();

/** The time column: milliseconds with microsecond precision, "12.345" (Russian "12,345"). */
export function formatMs(ms: number, locale: string): string {
  let format = msFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
    msFormats.set(locale, format);
  }
  return format.format(ms);
}

export type DurationUnit = "ms" | "s" | "min" | "h";

/** A gap's length in the largest unit that keeps it readable: 350 ms, 2.4 s, 3.5 min, 1.2 h. */
export function splitDuration(ns: bigint): { value: number; unit: DurationUnit } {
  const ms = Number(ns) / 1e6;
  // Each unit is tried with its rounding, so 59.96 s reads "1 min", not "60 s".
  const round1 = (value: number) => Math.round(value * 10) / 10;
  if (Math.round(ms) < 1000) return { value: Math.round(ms), unit: "ms" };
  if (round1(ms / 1000) < 60) return { value: round1(ms / 1000), unit: "s" };
  if (round1(ms / 60_000) < 60) return { value: round1(ms / 60_000), unit: "min" };
  return { value: round1(ms / 3_600_000), unit: "h" };
}

// ---------------------------------------------------------------------------------------------
// Event labels and findings

/** The arrow's label: the first frame's summary and how many frames follow it. */
export function eventLabel(event: Event): { text: string; more: number } {
  const [first, ...rest] = event.frames;
  if (first) return { text: first.summary, more: rest.length };
  return { text: printableText(event.data.subarray(0, 48)), more: 0 };
}

export interface EventFinding {
  readonly frame: number;
  readonly code: string;
  readonly severity: Finding["severity"];
  readonly message: string;
  /** Position in the event's bytes (frame offset + finding offset). */
  readonly offset: number;
  readonly length: number;
}

/** Every finding of every frame, with offsets made relative to the event's bytes. */
export function frameFindings(frames: readonly Frame[]): EventFinding[] {
  return frames.flatMap((frame, index) =>
    frame.findings.map((finding) => ({
      frame: index,
      code: finding.code,
      severity: finding.severity,
      message: finding.message,
      offset: frame.offset + finding.offset,
      length: finding.length,
    })),
  );
}

export function eventFindings(event: Event): EventFinding[] {
  return frameFindings(event.frames);
}

// ---------------------------------------------------------------------------------------------
// Hex view

/** Printable ASCII as itself, everything else as a dot, as Wireshark's and xxd's text column. */
export function printableChar(byte: number): string {
  return byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : ".";
}

export function printableText(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += printableChar(byte);
  return text;
}

export function hexByte(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}

export function hexRowCount(length: number, perRow: number = BYTES_PER_ROW): number {
  return Math.ceil(length / perRow);
}

export interface HexRow {
  readonly offset: number;
  /** Hex, four digits while the data fits in 64 KiB, eight beyond. */
  readonly offsetLabel: string;
  readonly bytes: Uint8Array;
}

/** Hex digits of the offsets: four while the data fits in 64 KiB, eight beyond. */
export function hexOffsetDigits(length: number): number {
  return length > 0x10000 ? 8 : 4;
}

export function hexRow(data: Uint8Array, row: number, perRow: number = BYTES_PER_ROW): HexRow {
  const offset = row * perRow;
  return {
    offset,
    offsetLabel: offset.toString(16).padStart(hexOffsetDigits(data.length), "0"),
    bytes: data.subarray(offset, offset + perRow),
  };
}

// ---------------------------------------------------------------------------------------------
// Fields: references, lookup by byte, byte ranges

/** A node of an event's dissection: a frame (`path` "") or a field inside it. */
export interface FieldRef {
  readonly frame: number;
  readonly path: string;
}

/** The node's path: the dissector's Field.path, or its position when a dissector left it empty. */
export function nodePath(field: Field, position: string): string {
  return field.path !== "" ? field.path : position;
}

/** A stable key for React and for ids: "0:" for frame 0 itself, "1:0.2" for a field of frame 1. */
export function refKey(ref: FieldRef): string {
  return `${ref.frame}:${ref.path}`;
}

/** Every node of a frame with its path, depth-first, with the chain of its ancestors' paths. */
export function* walkFields(
  fields: readonly Field[],
  parentPath = "",
  ancestors: readonly string[] = [],
): Generator<{ field: Field; path: string; ancestors: readonly string[] }> {
  for (const [position, field] of fields.entries()) {
    const path = nodePath(field, parentPath === "" ? String(position) : `${parentPath}.${position}`);
    yield { field, path, ancestors };
    yield* walkFields(field.children, path, [...ancestors, path]);
  }
}

export interface FoundField {
  readonly frame: Frame;
  /** Undefined when the reference names the frame itself. */
  readonly field: Field | undefined;
  /** Paths of the field's ancestors, outermost first. */
  readonly ancestors: readonly string[];
}

export function findField(frames: readonly Frame[], ref: FieldRef): FoundField | undefined {
  const frame = frames[ref.frame];
  if (!frame) return undefined;
  if (ref.path === "") return { frame, field: undefined, ancestors: [] };
  for (const node of walkFields(frame.fields)) {
    if (node.path === ref.path) return { frame, field: node.field, ancestors: node.ancestors };
  }
  return undefined;
}

/** Where a frame or field sits in the event's bytes, clipped to them. */
export function byteRange(
  frames: readonly Frame[],
  ref: FieldRef,
  dataLength: number,
): { start: number; length: number } | undefined {
  const found = findField(frames, ref);
  if (!found) return undefined;
  const start = found.frame.offset + (found.field?.offset ?? 0);
  const length = found.field?.length ?? found.frame.length;
  const end = Math.min(start + length, dataLength);
  if (start >= dataLength || end <= start) return undefined;
  return { start, length: end - start };
}

/**
 * The deepest node covering the event byte at `offset`: a click on a byte selects the most specific
 * field that explains it, or the frame when no field does. Undefined when no frame covers the byte.
 */
export function deepestFieldAt(frames: readonly Frame[], offset: number): FieldRef | undefined {
  for (const [frameIndex, frame] of frames.entries()) {
    if (offset < frame.offset || offset >= frame.offset + frame.length) continue;
    const relative = offset - frame.offset;
    let best = "";
    let level: readonly Field[] = frame.fields;
    let levelPath = "";
    for (;;) {
      const position = level.findIndex(
        (field) => field.length > 0 && relative >= field.offset && relative < field.offset + field.length,
      );
      const field = level[position];
      if (field === undefined) break;
      best = nodePath(field, levelPath === "" ? String(position) : `${levelPath}.${position}`);
      levelPath = best;
      level = field.children;
    }
    return { frame: frameIndex, path: best };
  }
  return undefined;
}

/** A node of the field tree as the details panel draws it: frames at depth 0, their fields below. */
export interface TreeNode {
  readonly key: string;
  readonly ref: FieldRef;
  readonly label: string;
  readonly display: string;
  readonly blurb: string;
  /** Event-relative position of the node's bytes. */
  readonly start: number;
  readonly length: number;
  readonly bitmask: number;
  readonly depth: number;
  readonly parent: TreeNode | null;
  readonly children: readonly TreeNode[];
}

export function buildFieldTree(frames: readonly Frame[]): TreeNode[] {
  return frames.map((frame, frameIndex) => {
    const ref = { frame: frameIndex, path: "" };
    const root: TreeNode & { children: TreeNode[] } = {
      key: refKey(ref),
      ref,
      label: frame.protocol,
      display: frame.summary,
      blurb: "",
      start: frame.offset,
      length: frame.length,
      bitmask: 0,
      depth: 0,
      parent: null,
      children: [],
    };
    const addChildren = (parent: TreeNode & { children: TreeNode[] }, fields: readonly Field[], parentPath: string) => {
      for (const [position, field] of fields.entries()) {
        const path = nodePath(field, parentPath === "" ? String(position) : `${parentPath}.${position}`);
        const fieldRef = { frame: frameIndex, path };
        const node: TreeNode & { children: TreeNode[] } = {
          key: refKey(fieldRef),
          ref: fieldRef,
          label: field.label,
          display: field.display,
          blurb: field.blurb,
          start: frame.offset + field.offset,
          length: field.length,
          bitmask: field.bitmask,
          depth: parent.depth + 1,
          parent,
          children: [],
        };
        parent.children.push(node);
        addChildren(node, field.children, path);
      }
    };
    addChildren(root, frame.fields, "");
    return root;
  });
}

/** The nodes a reader sees, top to bottom: the order the tree's Up and Down keys follow. */
export function visibleNodes(roots: readonly TreeNode[], isExpanded: (node: TreeNode) => boolean): TreeNode[] {
  const out: TreeNode[] = [];
  const visit = (nodes: readonly TreeNode[]) => {
    for (const node of nodes) {
      out.push(node);
      if (node.children.length > 0 && isExpanded(node)) visit(node.children);
    }
  };
  visit(roots);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Selection in the URL: ?e=<event seq>&f=<field path>

export interface Selection {
  readonly seq: bigint | null;
  readonly field: FieldRef | null;
}

/**
 * `f` is the field's path for frame 0 ("0.2.1"), and "<frame>:<path>" for later frames of the same
 * event ("1:0.2"); "<frame>:" names a frame itself. The common one-frame case keeps the short form.
 */
export function formatFieldRef(ref: FieldRef): string {
  return ref.frame === 0 && ref.path !== "" ? ref.path : `${ref.frame}:${ref.path}`;
}

const PATH = /^\d+(\.\d+)*$/;

export function parseFieldRef(value: string | null): FieldRef | null {
  if (value === null || value === "") return null;
  const colon = value.indexOf(":");
  if (colon === -1) return PATH.test(value) ? { frame: 0, path: value } : null;
  const frame = value.slice(0, colon);
  const path = value.slice(colon + 1);
  if (!/^\d+$/.test(frame) || (path !== "" && !PATH.test(path))) return null;
  return { frame: Number(frame), path };
}

export function parseSelection(params: { get(name: string): string | null }): Selection {
  const e = params.get("e");
  const seq = e !== null && /^\d{1,20}$/.test(e) ? BigInt(e) : null;
  return { seq, field: seq === null ? null : parseFieldRef(params.get("f")) };
}

/** The query string for a selection, keeping every other parameter of `search`. */
export function selectionSearch(search: string, selection: Selection): string {
  const params = new URLSearchParams(search);
  params.delete("e");
  params.delete("f");
  if (selection.seq !== null) {
    params.set("e", selection.seq.toString());
    if (selection.field) params.set("f", formatFieldRef(selection.field));
  }
  const query = params.toString();
  return query === "" ? "" : `?${query}`;
}

// ---------------------------------------------------------------------------------------------
// Reconnecting and exporting

/** Exponential backoff with jitter for Watch: 0.5 s, 1 s, 2 s ... up to 10 s, each 50–100 % of that. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(10_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export const EXPORT_FILE_NAME = "protocol-lab-events.json";

/** The session's timeline as proto3 JSON (uint64 as strings, bytes as base64), for the export button. */
export function exportDocument(
  conversations: Iterable<Conversation>,
  events: readonly Event[],
  dropped: number,
): { format: string; version: number; dropped: number; conversations: JsonValue[]; events: JsonValue[] } {
  return {
    format: "protocol-lab-events",
    version: 1,
    dropped,
    conversations: Array.from(conversations, (conversation) => toJson(ConversationSchema, conversation)),
    events: events.map((event) => toJson(EventSchema, event)),
  };
}
