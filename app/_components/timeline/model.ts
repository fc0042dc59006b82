// The packet timeline's pure logic: lanes, rows and gaps, time and byte formatting, field lookup by
// byte offset, the selection and the zoom kept in the URL (?e=<seq>&f=<field path>&z=segments), and
// the join between messages and the captured segments that carried their bytes. No React, no DOM, so
// model.test.ts can check it with real values.

import { toJson, type JsonValue } from "@bufbuild/protobuf";
import { findingText } from "@/app/_i18n/findings";
import { catalogued } from "@/server/dissect/catalogue";
import { ENGLISH, renderValue, type FormatLanguage } from "@/server/dissect/core/formats";
import { CaptureMode, commandInReason, type CaptureOffCode, type CaptureStatus as LabCaptureStatus } from "../capture-status";

type LabCapture = NonNullable<LabCaptureStatus["capture"]>;
import {
  ConversationSchema,
  Direction,
  DirectionSchema,
  EventKind,
  EventKindSchema,
  Origin,
  Severity,
  SeveritySchema,
  TcpSummarySchema,
  Transport,
  type Conversation,
  type Endpoint,
  type Field,
  type Finding,
  type Frame,
} from "@/gen/lab/v1/timeline_pb";
import type { BriefFinding, TimelineEvent } from "./batch";
import type { EventView } from "./event-table";

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

/**
 * Whose sockets a client lane draws: the lab's own clients (opened for the browser), a program of the student's
 * (nc, a Python client), or not said (an older host).
 */
export type LaneOrigin = "lab" | "external" | "unknown";

/** The narrowest client lane when lanes are squeezed to keep the server lanes on screen: a port still reads. */
export const MIN_CLIENT_LANE_WIDTH = 80;
/** The narrowest server lane when squeezed: "127.0.0.1" still reads. */
export const MIN_SERVER_LANE_WIDTH = 88;

export interface Lane {
  /**
   * "client|external|127.0.0.1" for a host's lane (all its endpoints of one origin), "client|lab|127.0.0.1|127.0.0.1:53122"
   * for one endpoint of a host split into lanes, "server|127.0.0.1:8888" for a server endpoint.
   */
  readonly key: string;
  readonly side: LaneSide;
  /** The endpoint ("127.0.0.1:53122"), or the host ("127.0.0.1") for a client lane several endpoints share. */
  readonly endpoint: string;
  /** Client lanes: whose sockets; server lanes: "unknown". */
  readonly origin: LaneOrigin;
  /** Client lanes: the key of their host's group (the key of its shared lane), which the toggle splits; server lanes: their key. */
  readonly group: string;
  /** The host of the group ("127.0.0.1", "::1"). */
  readonly host: string;
  /** Client endpoints in the group (1: nothing to split) and the conversations between them and the servers. */
  readonly groupEndpoints: number;
  readonly groupConversations: number;
  /** The group's conversations' transport, for the words ("connections", "flows"). */
  readonly transport: "tcp" | "udp" | "mixed";
  /** The group is split into one lane per endpoint. */
  readonly expanded: boolean;
  /** The group's first lane (where its toggle sits). */
  readonly first: boolean;
  /** Lab services reached on this lane (server lanes), in order of first appearance. */
  readonly services: readonly string[];
  /** Client lanes of outside programs: the programs' names the lab host's system told (issue 15 §1.6), in order. */
  readonly programs: readonly string[];
  /** The same for the lane's whole group (its toggle speaks for the group, split or not). */
  readonly groupPrograms: readonly string[];
  /** Client lanes of outside programs: every client of the lane is on another machine (no program can be named). */
  readonly otherMachine: boolean;
  /** Horizontal centre of the lane's line, in pixels from the ladder's left edge (pinned lanes: where they show now). */
  readonly x: number;
  readonly width: number;
  /** A server lane held at the ladder's right edge while client lanes too many to fit scroll under it. */
  readonly pinned: boolean;
  /**
   * An HTTP/2 call's lane (one end of the pair its stream is drawn on), between the client lanes and the server
   * lanes; absent for a conversation's lanes. It scrolls with the client lanes, never pinned.
   */
  readonly call?: Call;
}

/** The two lanes an arrow runs between. */
export interface LaneEnds {
  readonly client: Lane;
  readonly server: Lane;
}

export interface LaneLayout {
  readonly lanes: readonly Lane[];
  /** Total ladder width: the time column plus every lane. */
  readonly width: number;
  /**
   * How wide a row is drawn: the whole ladder, or while the lanes overflow, up to the right edge of what is seen, so
   * that an arrow's label is kept in sight rather than beyond the pinned lanes.
   */
  readonly rowWidth: number;
  /**
   * For each shown conversation: its client lane and server lane. While lanes overflow, a client lane scrolled out of
   * sight is given at the edge of the visible client lanes, so its arrows start where the reader can see.
   */
  readonly ends: ReadonlyMap<string, LaneEnds>;
  /** The lanes do not fit: the client lanes scroll sideways and the server lanes are pinned to the right edge. */
  readonly overflow: boolean;
  /** While overflowing: the span of x where client lanes are seen (between the time column and the pinned lanes). */
  readonly clientView: { readonly from: number; readonly to: number } | null;
}

export interface LaneOptions {
  /** The ladder's inner width; 0 (not measured yet) lays the lanes out at their widest readable width, unpinned. */
  readonly available?: number;
  /** Host groups (Lane.group) split into one lane per endpoint. */
  readonly expanded?: ReadonlySet<string>;
  /** The ladder's horizontal scroll, where the pinned server lanes follow it. */
  readonly scrollLeft?: number;
  /** HTTP/2 calls by conversation id (http2Calls): each gets a pair of lanes of its own. */
  readonly calls?: ReadonlyMap<string, readonly Call[]>;
}

/** The lab service that names the port the lab keeps closed (server/servers/index.ts closedPortService): nothing listens there. */
export const CLOSED_PORT_SERVICE = "closed-port";

export function laneOrigin(origin: Origin): LaneOrigin {
  return origin === Origin.LAB_CLIENT ? "lab" : origin === Origin.EXTERNAL ? "external" : "unknown";
}

/** The ip of an endpoint as its lane names it ("127.0.0.1", "::1"). */
function hostOf(endpoint: Endpoint | undefined): string {
  return endpoint && endpoint.ip !== "" ? endpoint.ip : "?";
}

interface ClientGroup {
  readonly key: string;
  readonly origin: LaneOrigin;
  readonly host: string;
  readonly endpoints: string[];
  /** Program names per endpoint (outside programs whose process the lab host named). */
  readonly programs: Map<string, string[]>;
  otherMachine: boolean;
  conversations: number;
  tcp: boolean;
  udp: boolean;
}

/**
 * Client lanes on the left, lab-server lanes on the right, each in order of first appearance. The clients of one
 * host share one lane (one for the lab's own clients, one for the student's programs), so a lesson's tenth
 * connection does not push the server off the screen; `expanded` splits a host's lane into one per endpoint.
 * Conversations to the same server endpoint share its lane, so three `nc` sessions to the echo server converge
 * on one server lane.
 *
 * Widths: every lane the same, up to MAX_LANE_WIDTH, when they fit at LANE_WIDTH or more; else the server lanes
 * keep their width (down to MIN_SERVER_LANE_WIDTH) and the client lanes share the rest (down to
 * MIN_CLIENT_LANE_WIDTH); past that the client lanes scroll sideways under the server lanes, pinned to the right.
 */
export function layoutLanes(conversations: Iterable<Conversation>, options: LaneOptions = {}): LaneLayout {
  const { available = 0, expanded = new Set<string>(), scrollLeft = 0, calls = NO_CALLS } = options;
  const groups = new Map<string, ClientGroup>();
  const servers = new Map<string, string[]>();
  const pairs: Array<[id: string, group: ClientGroup, client: string, server: string]> = [];
  for (const conversation of conversations) {
    const origin = laneOrigin(conversation.origin);
    const host = hostOf(conversation.client);
    const key = `client|${origin}|${host}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, origin, host, endpoints: [], programs: new Map(), otherMachine: conversation.otherMachine, conversations: 0, tcp: false, udp: false };
      groups.set(key, group);
    }
    const client = formatEndpoint(conversation.client);
    if (!group.endpoints.includes(client)) group.endpoints.push(client);
    group.otherMachine &&= conversation.otherMachine;
    if (conversation.processCommand !== "") {
      const names = group.programs.get(client) ?? [];
      if (!names.includes(conversation.processCommand)) names.push(conversation.processCommand);
      group.programs.set(client, names);
    }
    group.conversations += 1;
    if (conversation.transport === Transport.UDP) group.udp = true;
    else group.tcp = true;
    const server = formatEndpoint(conversation.server);
    const services = servers.get(server) ?? [];
    servers.set(server, services);
    if (conversation.service !== "" && !services.includes(conversation.service)) services.push(conversation.service);
    pairs.push([conversation.id, group, client, server]);
  }

  const split = (group: ClientGroup) => group.endpoints.length > 1 && expanded.has(group.key);
  // Each call's lanes sit between the client lanes and the server lanes, and scroll with the client lanes.
  const callPairs: Array<[group: ClientGroup, client: string, server: string, call: Call]> = [];
  for (const [id, group, client, server] of pairs) for (const call of calls.get(id) ?? []) callPairs.push([group, client, server, call]);
  let clientCount = 2 * callPairs.length;
  for (const group of groups.values()) clientCount += split(group) ? group.endpoints.length : 1;
  const widths = laneWidths(available, clientCount, servers.size);
  const natural = TIME_COLUMN_WIDTH + clientCount * widths.client + servers.size * widths.server;
  const overflow = available > 0 && natural > available;
  const serverZone = servers.size * widths.server;
  const maxScroll = Math.max(0, natural - available);
  const scroll = Math.min(Math.max(0, scrollLeft), maxScroll);
  const clientView = overflow ? { from: scroll + TIME_COLUMN_WIDTH, to: scroll + available - serverZone } : null;

  const lanes: Lane[] = [];
  const byKey = new Map<string, Lane>();
  let left = TIME_COLUMN_WIDTH;
  const add = (lane: Omit<Lane, "x" | "width" | "pinned">, width: number) => {
    const placed: Lane = { ...lane, x: left + width / 2, width, pinned: false };
    left += width;
    lanes.push(placed);
    byKey.set(placed.key, placed);
  };
  for (const group of groups.values()) {
    const groupPrograms = [...new Set([...group.programs.values()].flat())];
    const shared = {
      side: "client" as const,
      origin: group.origin,
      group: group.key,
      host: group.host,
      groupEndpoints: group.endpoints.length,
      groupConversations: group.conversations,
      transport: group.tcp && group.udp ? ("mixed" as const) : group.udp ? ("udp" as const) : ("tcp" as const),
      services: [],
      otherMachine: group.otherMachine,
      groupPrograms,
    };
    if (split(group)) {
      for (const [index, endpoint] of group.endpoints.entries()) {
        const programs = group.programs.get(endpoint) ?? [];
        add({ ...shared, key: `${group.key}|${endpoint}`, endpoint, expanded: true, first: index === 0, programs }, widths.client);
      }
    } else {
      const endpoint = group.endpoints.length === 1 ? (group.endpoints[0] ?? group.host) : group.host;
      add({ ...shared, key: group.key, endpoint, expanded: false, first: true, programs: groupPrograms }, widths.client);
    }
  }
  // A call's two lanes side by side: its arrows are short and cross no other call's lanes, and a narrow ladder that
  // scrolls shows a call's pair whole or not at all.
  for (const [group, client, server, call] of callPairs) {
    for (const side of ["client", "server"] as const) {
      const key = `call|${side}|${callKey(call.conversationId, call.stream)}`;
      const lane = {
        key,
        side,
        endpoint: side === "client" ? client : server,
        origin: side === "client" ? group.origin : ("unknown" as const),
        group: key,
        host: side === "client" ? group.host : "",
        groupEndpoints: 1,
        groupConversations: 1,
        transport: "tcp" as const,
        expanded: false,
        first: true,
        services: side === "server" ? (servers.get(server) ?? []) : [],
        programs: [],
        groupPrograms: [],
        otherMachine: false,
        call,
      };
      add(lane, widths.client);
    }
  }
  for (const [endpoint, services] of servers) {
    const key = `server|${endpoint}`;
    add(
      {
        key,
        side: "server",
        endpoint,
        origin: "unknown",
        group: key,
        host: "",
        groupEndpoints: 1,
        groupConversations: 0,
        transport: "tcp",
        expanded: false,
        first: true,
        services,
        programs: [],
        groupPrograms: [],
        otherMachine: false,
      },
      widths.server,
    );
  }
  if (overflow) {
    // The server lanes sit at the right edge of what is seen, wherever the client lanes are scrolled.
    const pinnedFrom = scroll + available - serverZone;
    let index = 0;
    for (const [position, lane] of lanes.entries()) {
      if (lane.side !== "server" || lane.call) continue;
      const pinned: Lane = { ...lane, x: Math.min(lane.x, pinnedFrom + (index + 0.5) * widths.server), pinned: true };
      index += 1;
      lanes[position] = pinned;
      byKey.set(pinned.key, pinned);
    }
  }

  const ends = new Map<string, LaneEnds>();
  const seen = (lane: Lane) =>
    clientView && (lane.x < clientView.from || lane.x > clientView.to)
      ? { ...lane, x: Math.min(Math.max(lane.x, clientView.from), clientView.to) }
      : lane;
  for (const [id, group, client, server] of pairs) {
    const clientLane = byKey.get(split(group) ? `${group.key}|${client}` : group.key);
    const serverLane = byKey.get(`server|${server}`);
    if (!clientLane || !serverLane) continue;
    ends.set(id, { client: seen(clientLane), server: serverLane });
  }
  for (const [, , , call] of callPairs) {
    const key = callKey(call.conversationId, call.stream);
    const clientLane = byKey.get(`call|client|${key}`);
    const serverLane = byKey.get(`call|server|${key}`);
    if (!clientLane || !serverLane) continue;
    // A pair scrolled out of sight whole stays where it is (its row's label and name still tell it): put at the edge,
    // its arrow would shrink to a dot.
    const client = seen(clientLane);
    const server = seen(serverLane);
    ends.set(key, client.x === server.x ? { client: clientLane, server: serverLane } : { client, server });
  }
  return { lanes, width: natural, rowWidth: overflow ? scroll + available : natural, ends, overflow, clientView };
}

// ---------------------------------------------------------------------------------------------
// HTTP/2 calls: an HTTP/2 connection multiplexes calls, one stream each; each call gets a pair of lanes of its own,
// its frames drawn on them, while the connection's own frames (stream 0: SETTINGS, PING, GOAWAY, WINDOW_UPDATE on
// the connection) and the client's preface stay on the connection's lanes.

/** A call (an HTTP/2 stream) of a connection, drawn on lanes of its own. */
export interface Call {
  readonly conversationId: string;
  /** The stream's id (odd: opened by the client). */
  readonly stream: number;
  /** The request's :path ("/user_service.UserService/GetUser"); "" while no HEADERS of the request has named it. */
  readonly path: string;
}

/** Calls of one connection that get lanes of their own; later ones are drawn on the connection's (a bounded width). */
export const MAX_CALL_LANES = 8;

const NO_CALLS: ReadonlyMap<string, readonly Call[]> = new Map();

/** The key of a call's lane pair in LaneLayout.ends ("c12#3"). */
export function callKey(conversationId: string, stream: number): string {
  return `${conversationId}#${stream}`;
}

/** Each HTTP/2 connection's calls among the events, in order of their first frame, up to MAX_CALL_LANES each. */
export function http2Calls(events: EventView): Map<string, Call[]> {
  const calls = new Map<string, Call[]>();
  events.eachHttp2((index) => {
    const conversationId = events.conversationAt(index);
    for (const frame of events.http2At(index)) {
      if (frame.stream === 0) continue;
      let list = calls.get(conversationId);
      if (!list) calls.set(conversationId, (list = []));
      const at = list.findIndex((call) => call.stream === frame.stream);
      const known = list[at];
      if (!known) {
        if (list.length < MAX_CALL_LANES) list.push({ conversationId, stream: frame.stream, path: frame.path });
      } else if (known.path === "" && frame.path !== "") list[at] = { ...known, path: frame.path };
    }
  });
  return calls;
}

/** Whether two results of http2Calls give the same lanes (so a new batch of events keeps the layout). */
export function sameCalls(a: ReadonlyMap<string, readonly Call[]>, b: ReadonlyMap<string, readonly Call[]>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, list] of a) {
    const other = b.get(id);
    if (!other || other.length !== list.length) return false;
    if (list.some((call, i) => call.stream !== other[i]?.stream || call.path !== other[i]?.path)) return false;
  }
  return true;
}

/**
 * A call's method as a lane has room for it: "/user_service.UserService/GetUser" as "UserService/GetUser" (the
 * package left out); a path of another shape as it is.
 */
export function shortMethod(path: string): string {
  const match = /^\/([^/]+)\/([^/]+)$/.exec(path);
  if (!match) return path;
  const service = match[1] ?? "";
  return `${service.slice(service.lastIndexOf(".") + 1)}/${match[2] ?? ""}`;
}

/** The call the URL names (?call=3, as the gRPC console's button sets it): its lanes are marked. Null for none. */
export function parseCallParam(params: { get(name: string): string | null }): number | null {
  const value = params.get("call");
  return value !== null && /^[1-9]\d{0,9}$/.test(value) && Number(value) <= 0x7fffffff ? Number(value) : null;
}

/** The query string naming the call's stream (null: none), keeping every other parameter of `search`. */
export function callSearch(search: string, stream: number | null): string {
  const params = new URLSearchParams(search);
  if (stream === null) params.delete("call");
  else params.set("call", String(stream));
  const query = params.toString();
  return query === "" ? "" : `?${query}`;
}

/**
 * The conversation whose call `stream` the URL names: the lab client's (the console's calls run on the session's own
 * HTTP/2 connection), its newest connection with such a call where there were several. Undefined when none has it.
 */
export function chosenCall(layout: LaneLayout, stream: number | null): string | undefined {
  if (stream === null) return undefined;
  let chosen: string | undefined;
  for (const lane of layout.lanes) if (lane.call?.stream === stream && lane.side === "client" && lane.origin === "lab") chosen = lane.call.conversationId;
  return chosen;
}

/** A lane pair an event is drawn on: its conversation's (stream 0) or one call's. */
export interface EventLanes {
  readonly key: string;
  /** The call's stream; 0 for the connection's own lanes. */
  readonly stream: number;
  readonly ends: LaneEnds;
}

/**
 * The lane pairs an event is drawn on, the first being where its label goes (its first frame's): its conversation's,
 * or, for HTTP/2 frames, the lanes of each call they belong to, in frame order, and the connection's for stream 0,
 * for the preface and for a call without lanes of its own. One read or write can carry frames of several calls:
 * its arrow is drawn on each of their pairs. Empty when the conversation is not laid out.
 */
export function eventLanes(layout: LaneLayout, event: TimelineEvent): EventLanes[] {
  const own = layout.ends.get(event.conversationId);
  if (!own) return [];
  const connection: EventLanes = { key: event.conversationId, stream: 0, ends: own };
  const frames = event.http2;
  if (!frames || frames.length === 0 || event.kind !== EventKind.DATA) return [connection];
  const out: EventLanes[] = [];
  // A frame that is not an HTTP/2 frame (the preface) comes first: the connection's.
  if (frames.length < 1 + event.moreFrames) out.push(connection);
  for (const frame of frames) {
    const key = frame.stream === 0 ? event.conversationId : callKey(event.conversationId, frame.stream);
    if (out.some((lanes) => lanes.key === key)) continue;
    const ends = frame.stream === 0 ? undefined : layout.ends.get(key);
    if (ends) out.push({ key, stream: frame.stream, ends });
    else if (!out.some((lanes) => lanes.key === event.conversationId)) out.push(connection);
  }
  return out;
}

/** The widths of client and server lanes in `available` pixels (see layoutLanes). */
export function laneWidths(available: number, clients: number, servers: number): { client: number; server: number } {
  const count = clients + servers;
  const room = available - TIME_COLUMN_WIDTH;
  if (count === 0 || available <= 0) return { client: LANE_WIDTH, server: LANE_WIDTH };
  const even = Math.floor(room / count);
  if (even >= LANE_WIDTH) {
    const width = Math.min(MAX_LANE_WIDTH, even);
    return { client: width, server: width };
  }
  if (clients === 0) return { client: LANE_WIDTH, server: Math.max(MIN_SERVER_LANE_WIDTH, even) };
  const client = Math.floor((room - servers * LANE_WIDTH) / clients);
  if (client >= MIN_CLIENT_LANE_WIDTH) return { client: Math.min(LANE_WIDTH, client), server: LANE_WIDTH };
  const server = servers === 0 ? LANE_WIDTH : Math.floor((room - clients * MIN_CLIENT_LANE_WIDTH) / servers);
  return { client: MIN_CLIENT_LANE_WIDTH, server: Math.min(LANE_WIDTH, Math.max(MIN_SERVER_LANE_WIDTH, server)) };
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

/**
 * "seq": rows in the order the lab recorded the events (socket events arrive in time order). "time":
 * rows by monoNs, then seq; for captured segments, which the capture pipe delivers a few milliseconds
 * late, so their seq order is not their time order.
 */
export type RowOrder = "seq" | "time";

/** Whether the event at `index` of `events` has a row: read from the view's columns, making no event. */
export type RowFilter = (events: EventView, index: number) => boolean;

export interface RowIndex {
  readonly count: number;
  readonly events: EventView;
  readonly accept: RowFilter;
  readonly order: RowOrder;
  /** The row at `row` (made on demand: only the rows on screen are asked for), undefined past the end. */
  row(row: number): Row | undefined;
  /** The index in `events` of the event at `row`, or -1 for a gap row or past the end. */
  eventAt(row: number): number;
}

/**
 * Rows held in Int32Arrays, shared and appended to by later extendRows calls (each reads only its first `count`,
 * `shown` entries): a row is its event's index, or for a gap row -(index + 1) of the event after the gap.
 */
class RowState implements RowIndex {
  /** A later result appends to these arrays in place. */
  extended = false;

  constructor(
    readonly rows: Int32Array,
    readonly count: number,
    /** Indices of the shown events in row order. */
    readonly sorted: Int32Array,
    /** For each entry of `sorted`: the position of its event row. */
    readonly eventRows: Int32Array,
    readonly shown: number,
    readonly events: EventView,
    readonly accept: RowFilter,
    readonly order: RowOrder,
    /** The events scanned, and the last one's seq: the same events again extend from here. */
    readonly scanned: number,
    readonly lastSeq: bigint | undefined,
  ) {}

  eventAt(row: number): number {
    const value = row >= 0 && row < this.count ? (this.rows[row] ?? -1) : -1;
    return value >= 0 ? value : -1;
  }

  row(row: number): Row | undefined {
    if (row < 0 || row >= this.count) return undefined;
    const value = this.rows[row] ?? 0;
    if (value < 0) {
      const index = -value - 1;
      // A gap row always follows the event row before it.
      const before = this.rows[row - 1] ?? 0;
      return { kind: "gap", ns: BigInt(this.events.nsAt(index) - this.events.nsAt(before)), beforeIndex: index };
    }
    const previous = row > 0 ? (this.rows[row - 1] ?? 0) : 0;
    const gapBeforeNs =
      row > 1 && previous < 0 ? BigInt(this.events.nsAt(value) - this.events.nsAt(this.rows[row - 2] ?? 0)) : null;
    return { kind: "event", index: value, gapBeforeNs };
  }
}

/** Orders event indices by time, then by seq (index): the order of rows in a "time" index. */
function compareByTime(events: EventView, a: number, b: number): number {
  const at = events.nsAt(a);
  const bt = events.nsAt(b);
  return at < bt ? -1 : at > bt ? 1 : a - b;
}

/** `array` with room for `size` entries: itself, or a copy twice as big of its first `used` entries. */
function withRoom(array: Int32Array, used: number, size: number): Int32Array {
  if (size <= array.length) return array;
  const grown = new Int32Array(Math.max(64, size * 2));
  grown.set(array.subarray(0, used));
  return grown;
}

const NO_ROWS = new Int32Array(0);

/**
 * Rows for the events that `accept` keeps, with a gap row before an event that came more than
 * `thresholdNs` after the previous shown one. Given the previous result for a prefix of the same
 * events and the same `accept` and `order`, only the new events are scanned: the store appends, so at
 * 100,000 events a new batch costs its own length, not the whole history. In "time" order a late
 * event that belongs before rows already made rebuilds the rows from its place on (into new arrays:
 * the old result stays valid for whoever still holds it).
 */
export function extendRows(
  previous: RowIndex | null,
  events: EventView,
  accept: RowFilter,
  thresholdNs: bigint = GAP_THRESHOLD_NS,
  order: RowOrder = "seq",
): RowIndex {
  const prev = previous instanceof RowState ? previous : null;
  const reusable =
    prev !== null &&
    prev.accept === accept &&
    prev.order === order &&
    prev.scanned <= events.length &&
    (prev.scanned === 0 ? prev.events.length === 0 : events.seqAt(prev.scanned - 1) === prev.lastSeq) &&
    (prev.scanned === 0 || events.firstSeq === prev.events.firstSeq);
  let rows = reusable ? prev.rows : NO_ROWS;
  let count = reusable ? prev.count : 0;
  let sorted = reusable ? prev.sorted : NO_ROWS;
  let eventRows = reusable ? prev.eventRows : NO_ROWS;
  let shown = reusable ? prev.shown : 0;
  // A result is extended in place once: a second extension of it (a render React threw away and did again) would
  // write over what the first one's rows read, so it copies.
  if (reusable && prev.extended) {
    rows = rows.slice(0, Math.max(64, count * 2));
    sorted = sorted.slice(0, Math.max(64, shown * 2));
    eventRows = eventRows.slice(0, Math.max(64, shown * 2));
  }
  if (reusable) prev.extended = true;
  const fresh: number[] = [];
  for (let index = reusable ? prev.scanned : 0; index < events.length; index++) {
    if (accept(events, index)) fresh.push(index);
  }
  // New events go after the rows already made, unless (time order) a late one belongs further up.
  let tail: readonly number[] = fresh;
  if (order === "time" && fresh.length > 0) {
    fresh.sort((a, b) => compareByTime(events, a, b));
    const first = fresh[0] ?? 0;
    const last = shown > 0 ? sorted[shown - 1] : undefined;
    if (last !== undefined && compareByTime(events, last, first) > 0) {
      // The first row the late event goes before: binary search in row order.
      let lo = 0;
      let hi = shown;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compareByTime(events, sorted[mid] ?? 0, first) < 0) lo = mid + 1;
        else hi = mid;
      }
      tail = mergeByTime(events, Array.from(sorted.subarray(lo, shown)), fresh);
      const firstRow = eventRows[lo] ?? count;
      const cut = firstRow > 0 && (rows[firstRow - 1] ?? 0) < 0 ? firstRow - 1 : firstRow;
      // New arrays from the cut on: the old result keeps reading its own.
      rows = rows.slice(0, Math.max(64, (cut + tail.length) * 2));
      sorted = sorted.slice(0, Math.max(64, (lo + tail.length) * 2));
      eventRows = eventRows.slice(0, Math.max(64, (lo + tail.length) * 2));
      count = cut;
      shown = lo;
    }
  }
  rows = withRoom(rows, count, count + tail.length * 2);
  sorted = withRoom(sorted, shown, shown + tail.length);
  eventRows = withRoom(eventRows, shown, shown + tail.length);
  const threshold = Number(thresholdNs);
  let lastShown = shown > 0 ? (sorted[shown - 1] ?? -1) : -1;
  for (const index of tail) {
    if (lastShown >= 0 && events.nsAt(index) - events.nsAt(lastShown) > threshold) rows[count++] = -index - 1;
    sorted[shown] = index;
    eventRows[shown++] = count;
    rows[count++] = index;
    lastShown = index;
  }
  const state = new RowState(
    rows,
    count,
    sorted,
    eventRows,
    shown,
    events,
    accept,
    order,
    events.length,
    events.length > 0 ? events.seqAt(events.length - 1) : undefined,
  );
  return state;
}

function mergeByTime(events: EventView, a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && compareByTime(events, x, y) <= 0)) {
      out.push(x ?? 0);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}

/** Row position of the event at `eventIndex`, or -1 when it is not shown. Binary search in row order. */
export function rowOfEvent(index: RowIndex, eventIndex: number): number {
  if (!(index instanceof RowState)) return -1;
  const compare =
    index.order === "time" ? (a: number, b: number) => compareByTime(index.events, a, b) : (a: number, b: number) => a - b;
  let lo = 0;
  let hi = index.shown - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = index.sorted[mid];
    if (at === undefined) return -1;
    const c = compare(at, eventIndex);
    if (c === 0) return index.eventRows[mid] ?? -1;
    if (c < 0) lo = mid + 1;
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

/** What the ladder's follower of the newest events knows between two scroll events. */
export interface FollowState {
  readonly following: boolean;
  /** The scroll position at the last scroll event. */
  readonly lastTop: number;
  /** Where the follower's own last scroll put the ladder, until that scroll's event comes. */
  readonly followedTop: number | null;
}

/**
 * The follower after a scroll event at `top`, `distance` pixels above the bottom. The follower's own scroll is
 * recognised once, by its position, and changes nothing: its event comes a frame later, when live events may already
 * have made the list taller. Any other scroll up stops following, and one that ends at the bottom resumes it (two rows
 * of slack when moving down), including a reader's return to the very position the follower left the ladder at while
 * nothing arrived (issue 15 §1.2: that return used to be taken for the follower's own scroll and ignored).
 */
export function followAfterScroll(state: FollowState, top: number, distance: number): FollowState {
  if (state.followedTop !== null && top === state.followedTop) return { following: state.following, lastTop: top, followedTop: null };
  const following = distance <= ROW_HEIGHT / 2 || (top >= state.lastTop && distance <= 2 * ROW_HEIGHT);
  return { following, lastTop: top, followedTop: null };
}

/** Index of the event with this seq, or -1. Binary search: the store keeps events in seq order. */
export function findEventIndex(events: EventView, seq: bigint): number {
  return events.indexOfSeq(seq);
}

export type RowStep = "next" | "previous" | "first" | "last" | { readonly by: number };

/**
 * The event row that a key press moves to from row `from` (null: nothing selected yet), skipping gap
 * rows. Returns null when there is no event row at all.
 */
export function stepRow(index: RowIndex, from: number | null, step: RowStep): number | null {
  const isEvent = (row: number) => index.eventAt(row) >= 0;
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
export function eventLabel(event: TimelineEvent): { text: string; more: number } {
  if (event.summary !== "" || event.moreFrames > 0) return { text: event.summary, more: event.moreFrames };
  return { text: printableText(event.data.subarray(0, 48)), more: 0 };
}

export interface EventFinding {
  readonly frame: number;
  readonly code: string;
  readonly severity: Finding["severity"];
  /** Which wording of the code ("" when it has one): with `code` and `args`, what the page words it from. */
  readonly form: string;
  /** English as the stream sent it: empty for a declared code (app/_i18n/findings.ts renders it). */
  readonly message: string;
  readonly args: Readonly<Record<string, string>>;
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
      form: finding.form,
      message: finding.message,
      args: finding.args,
      offset: frame.offset + finding.offset,
      length: finding.length,
    })),
  );
}

/**
 * The findings the ladder shows beside an event's label: those that say something about this arrow (a note, a
 * warning, an error). Chat (Wireshark's "usual workflow": a text's encoding, a line without its end) is for the
 * details, where every finding is listed and worded.
 */
export function eventFindings(event: TimelineEvent): readonly BriefFinding[] {
  // The same array when nothing is left out, for the rows' memo.
  return event.findings.some((f) => f.severity < Severity.NOTE) ? event.findings.filter((f) => f.severity >= Severity.NOTE) : event.findings;
}

// ---------------------------------------------------------------------------------------------
// Zoom: application messages or the TCP segments seen on the wire

/**
 * "messages": what the programs sent and received (open, data, half-close, close, error), as the
 * socket API reports it. "segments": every TCP segment the wire capture saw (handshake, pure ACKs,
 * data, FIN, RST). Socket events are not drawn among segments: their clock is the program's, not the
 * wire's, and a mark like "connection opened" is what the handshake segments already show.
 */
export type Zoom = "messages" | "segments";

/** Whether an event has a row at this zoom. */
export function shownAtZoom(zoom: Zoom, event: TimelineEvent): boolean {
  return zoom === "segments" ? event.kind === EventKind.SEGMENT : event.kind !== EventKind.SEGMENT;
}

/** Rows of messages keep the recorded order; segments are sorted by time (they arrive late). */
export function zoomOrder(zoom: Zoom): RowOrder {
  return zoom === "segments" ? "time" : "seq";
}

export function parseZoom(params: { get(name: string): string | null }): Zoom {
  return params.get("z") === "segments" ? "segments" : "messages";
}

/** The query string with the zoom set (messages, the default, leaves no parameter), keeping the rest. */
export function zoomSearch(search: string, zoom: Zoom): string {
  const params = new URLSearchParams(search);
  if (zoom === "segments") params.set("z", "segments");
  else params.delete("z");
  const query = params.toString();
  return query === "" ? "" : `?${query}`;
}

/**
 * The time column's zero: the earliest monoNs among the first events. A segment can be recorded after
 * a socket event it preceded on the wire (a SYN arrives after the accept it caused), so the first event
 * by seq is not always the first in time; the capture lags milliseconds, so the first few suffice.
 */
export function timeBase(events: EventView, look = 256): bigint {
  let base: number | undefined;
  let at = -1;
  for (let index = 0; index < Math.min(look, events.length); index++) {
    const ns = events.nsAt(index);
    if (base === undefined || ns < base) [base, at] = [ns, index];
  }
  return at < 0 ? 0n : events.monoNsAt(at);
}

// ---------------------------------------------------------------------------------------------
// Messages and segments: which segments carried which message's bytes

/** Half-open range [start, end) of byte positions in one direction's stream. */
export interface StreamRange {
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * Where an event's bytes sit in its direction's stream: a message's data, a segment's payload. Null
 * for events without such bytes (lifecycle marks, a SYN, a pure ACK, FIN and RST without payload)
 * and when the server could not tell where they sit (stream offset -1).
 */
export function streamRange(event: TimelineEvent): StreamRange | null {
  const length =
    event.kind === EventKind.DATA ? event.length : event.kind === EventKind.SEGMENT ? event.payloadLength : 0;
  if (length <= 0 || event.streamOffset < 0n) return null;
  return { start: event.streamOffset, end: event.streamOffset + BigInt(length) };
}

/** The bytes two ranges share, or null when they share none. */
export function rangeOverlap(a: StreamRange, b: StreamRange): StreamRange | null {
  const start = a.start > b.start ? a.start : b.start;
  const end = a.end < b.end ? a.end : b.end;
  return start < end ? { start, end } : null;
}

/**
 * The part of `message`'s bytes that `segment` carried (stream positions), or null when it carried
 * none: same conversation, same direction, overlapping ranges. A retransmission carries the same
 * bytes again, so it counts too.
 */
export function carriedBytes(segment: TimelineEvent, message: TimelineEvent): StreamRange | null {
  if (segment.kind !== EventKind.SEGMENT || message.kind !== EventKind.DATA) return null;
  if (segment.conversationId !== message.conversationId) return null;
  if (segment.direction !== message.direction || segment.direction === Direction.UNSPECIFIED) return null;
  const s = streamRange(segment);
  const m = streamRange(message);
  return s && m ? rangeOverlap(s, m) : null;
}

/**
 * The events joined to `selected` across the zoom levels, in seq order: for a message, the segments
 * that carried any of its bytes; for a segment, the messages it carried bytes of. Empty for others.
 */
export function relatedEvents(events: EventView, selected: TimelineEvent | undefined): TimelineEvent[] {
  if (!selected || streamRange(selected) === null) return [];
  const want = selected.kind === EventKind.DATA ? EventKind.SEGMENT : selected.kind === EventKind.SEGMENT ? EventKind.DATA : undefined;
  const out: TimelineEvent[] = [];
  if (want === undefined) return out;
  // Only the selected event's conversation, read from its columns: a whole event is made for each joined one.
  events.eachOf(selected.conversationId, (index) => {
    if (events.kindAt(index) !== want || events.directionAt(index) !== selected.direction) return;
    const event = events.at(index);
    if (event && (want === EventKind.SEGMENT ? carriedBytes(event, selected) : carriedBytes(selected, event))) out.push(event);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Segment labels

/** A segment's summary: the TCP frame's (Wireshark-like), else the innermost header's (the host picks it). */
export function segmentSummary(event: TimelineEvent): string {
  return event.summary !== "" ? event.summary : printableText(event.data.subarray(0, 48));
}

/** The names of a segment's TCP flags ("SYN", "ACK"), from its TCP frame's summary parts; none without one. */
export function segmentFlags(event: TimelineEvent): readonly string[] {
  return event.tcpSummary?.flags ?? [];
}

/**
 * One rule for every segment label (issue 15 §1.8): the flags, then the header's fields in the summary's order, as
 * "[PSH, ACK] Seq=58 Ack=20 Win=512 Len=18". The ports are the lanes' and the options and analysis tags are the
 * details' (and the badges'), so a label never shows them. Where the fields do not all fit, every label of the
 * same width drops the same ones, whatever its own numbers or badges: the window first, then the acknowledgement,
 * then the sequence number and length; the flags stay.
 */
export const SEGMENT_LABEL_LEVELS: readonly (readonly string[])[] = [
  ["Seq", "Ack", "Win", "Urg", "Len"],
  ["Seq", "Ack", "Len"],
  ["Seq", "Len"],
  [],
];
/** The fewest characters each level needs, for a segment of a lesson's numbers ("[FIN, PSH, ACK] Seq=12345 Ack=678 ..."). */
const LEVEL_CHARS = [46, 36, 26, 0] as const;

/** The richest level whose fields fit `maxChars` characters: the same for every label of that width. */
export function segmentLabelLevel(maxChars: number): number {
  const level = LEVEL_CHARS.findIndex((chars) => maxChars >= chars);
  return level < 0 ? SEGMENT_LABEL_LEVELS.length - 1 : level;
}

/**
 * A segment's label at `level` (segmentLabelLevel): its flags and the level's fields. A packet without TCP summary
 * parts (a UDP datagram, an unreadable one) keeps its whole summary.
 */
export function segmentLabel(event: TimelineEvent, level: number): string {
  const parts = event.tcpSummary;
  if (!parts) return segmentSummary(event);
  const keep = SEGMENT_LABEL_LEVELS[level] ?? [];
  // As the summary writes them.
  const flags = `[${parts.flags.length > 0 ? parts.flags.join(", ") : "<None>"}]`;
  const items = parts.items.filter((item) => keep.includes(item.key)).map((item) => (item.value === "" ? item.key : `${item.key}=${item.value}`));
  return [flags, ...items].join(" ");
}

/** Width of one character of the ladder's label font (12 px monospace, 0.6 em), in CSS pixels. */
export const LABEL_CHAR_WIDTH = 7.25;

/** How many label characters fit `width` pixels. */
export function labelChars(width: number): number {
  return Math.max(0, Math.floor(width / LABEL_CHAR_WIDTH));
}

/** The pcap link types a lab capture meets (LINKTYPE_* in the pcap registry), for the details panel. */
export function linkTypeName(linkType: number): string {
  switch (linkType) {
    case 0:
      return "BSD loopback (NULL)";
    case 1:
      return "Ethernet";
    case 101:
      return "Raw IP";
    case 113:
      return "Linux cooked (SLL)";
    case 276:
      return "Linux cooked v2 (SLL2)";
    default:
      return `LINKTYPE ${linkType}`;
  }
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

/**
 * Where a frame or field sits in the bytes shown, clipped to them: the event's bytes, or with `own` the bytes of
 * a frame reassembled from several reads (`Frame.reassembled`, where the frame starts at 0). A frame in the
 * other kind of bytes has no range there.
 */
export function byteRange(
  frames: readonly Frame[],
  ref: FieldRef,
  dataLength: number,
  own = false,
): { start: number; length: number } | undefined {
  const found = findField(frames, ref);
  if (!found || (found.frame.reassembled.length > 0) !== own) return undefined;
  const start = found.frame.offset + (found.field?.offset ?? 0);
  const length = found.field?.length ?? found.frame.length;
  const end = Math.min(start + length, dataLength);
  if (start >= dataLength || end <= start) return undefined;
  return { start, length: end - start };
}

/** The frames whose bytes are their own, reassembled from several reads, with their index among the event's frames. */
export function reassembledFrames(frames: readonly Frame[]): { readonly index: number; readonly frame: Frame }[] {
  return frames.flatMap((frame, index) => (frame.reassembled.length > 0 ? [{ index, frame }] : []));
}

/**
 * The deepest node covering the event byte at `offset`: a click on a byte selects the most specific
 * field that explains it, or the frame when no field does. Undefined when no frame covers the byte.
 * With `only`, the byte is one of that frame's own (reassembled) bytes.
 */
export function deepestFieldAt(frames: readonly Frame[], offset: number, only?: number): FieldRef | undefined {
  for (const [frameIndex, frame] of frames.entries()) {
    if (only === undefined ? frame.reassembled.length > 0 : frameIndex !== only) continue;
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

/** How a field reads in one language: its words by id, and how its value is worded. */
export interface FieldText {
  /** A field's label and blurb, when the stream left them out (it does for every field the dissectors declare). */
  words(id: string): { readonly label: string; readonly blurb: string } | undefined;
  /** The templates that word a value from its format and args (server/dissect/core/formats.ts). */
  readonly formats: FormatLanguage;
}

/** The dissectors' own English. */
export const ENGLISH_FIELD_TEXT: FieldText = { words: catalogued, formats: ENGLISH };

/**
 * A field's value in the language of `text`, from its format and args. Only a field without a format this page
 * knows (from a newer host, or with none) shows its display as it came: on the stream that is empty when a format
 * is set, so the page never shows English for a value it could word.
 */
export function fieldValueText(field: Field, text: FieldText = ENGLISH_FIELD_TEXT): string {
  if (field.format !== "") {
    // A flags word names its set flags by their fields, which are its children.
    const label = (id: string) => text.words(id)?.label || field.children.find((child) => child.id === id)?.label || id;
    const shown = renderValue(text.formats, field.format, field.args, { id: field.id, length: field.length, label });
    if (shown !== undefined) return shown;
  }
  return field.display;
}

/** The details panel's tree, in the language of `text`. */
export function buildFieldTree(frames: readonly Frame[], text: FieldText = ENGLISH_FIELD_TEXT): TreeNode[] {
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
        const looked = field.label === "" || field.blurb === "" ? text.words(field.id) : undefined;
        const node: TreeNode & { children: TreeNode[] } = {
          key: refKey(fieldRef),
          ref: fieldRef,
          // The stream leaves out the words of catalogued fields: they follow from the id.
          label: field.label || looked?.label || field.id,
          display: fieldValueText(field, text),
          blurb: field.blurb || looked?.blurb || "",
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
// Capture mode, from the host's Status

/**
 * What the lab host can show: real segments from its wire capture, or the socket API's events only
 * (with the reason, which names the command that enables capture). "unknown" while the status is
 * being fetched, when the host does not answer, or when it does not report capture at all.
 */
export type CaptureStatus =
  | { readonly mode: "unknown" }
  | { readonly mode: "segments" }
  | {
      readonly mode: "socket";
      readonly reason: string;
      readonly code?: CaptureOffCode;
      readonly command?: string;
      readonly detail?: string;
    };

/** The timeline's view of what the host's Status says about capture (undefined: the host did not say). */
export function captureStatusOf(capture: LabCapture | undefined): CaptureStatus {
  if (!capture) return { mode: "unknown" };
  if (capture.mode === CaptureMode.REAL_SEGMENTS) return { mode: "segments" };
  const { code, command, detail } = capture;
  return { mode: "socket", reason: capture.reason.trim(), ...(code && { code }), ...(command && { command }), ...(detail && { detail }) };
}

export function sameCaptureStatus(a: CaptureStatus, b: CaptureStatus): boolean {
  if (a.mode !== "socket" || b.mode !== "socket") return a.mode === b.mode;
  return a.reason === b.reason && a.code === b.code && a.command === b.command && a.detail === b.detail;
}

/**
 * A capture reason split for display: why capture is off, and the command that enables it when the
 * reason ends with "enable it with: <command>".
 */
export function splitCaptureReason(reason: string): { text: string; command: string | null } {
  const command = commandInReason(reason);
  if (command === undefined) return { text: reason, command: null };
  const before = reason.slice(0, reason.indexOf(command));
  // The words that introduce the command ("; enable it with:") belong to it, not to the reason.
  const text = before.replace(/[\s;,.:]*(?:enable it with)?[\s:]*$/iu, "").trim();
  return { text: text === "" ? reason : text, command };
}

// ---------------------------------------------------------------------------------------------
// Reconnecting and exporting

/** Exponential backoff with jitter for Watch: 0.5 s, 1 s, 2 s ... up to 10 s, each 50–100 % of that. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(10_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export const EXPORT_FILE_NAME = "protocol-lab-events.json";

/**
 * The session's timeline as the page holds it, as JSON (uint64 as strings, bytes as base64), for the export
 * button: every event as the ladder shows it, its findings worded in English so the file stands on its own.
 * Version 2: an event's field tree is not held by the page (GetEvent brings it on demand), so it is not in the
 * file; the host's pcapng export has every byte.
 */
export function exportDocument(
  conversations: Iterable<Conversation>,
  events: Iterable<TimelineEvent>,
  dropped: number,
): { format: string; version: number; dropped: number; conversations: JsonValue[]; events: JsonValue[] } {
  const enumName = (names: { readonly values: readonly { readonly number: number; readonly name: string }[] }, value: number) =>
    names.values.find((v) => v.number === value)?.name ?? String(value);
  return {
    format: "protocol-lab-events",
    version: 2,
    dropped,
    conversations: Array.from(conversations, (conversation) => toJson(ConversationSchema, conversation)),
    events: Array.from(events, (event) => ({
      seq: event.seq.toString(),
      conversationId: event.conversationId,
      kind: enumName(EventKindSchema, event.kind),
      direction: enumName(DirectionSchema, event.direction),
      monoNs: event.monoNs.toString(),
      length: event.length,
      summary: event.summary,
      ...(event.moreFrames > 0 && { moreFrames: event.moreFrames }),
      findings: event.findings.map((finding) => ({
        code: finding.code,
        severity: enumName(SeveritySchema, finding.severity),
        ...(finding.form !== "" && { form: finding.form }),
        args: { ...finding.args },
        message: findingText("en", finding),
      })),
      streamOffset: event.streamOffset.toString(),
      ...(event.kind === EventKind.SEGMENT && { payloadLength: event.payloadLength, linkType: event.linkType }),
      ...(event.tcpSummary && { tcpSummary: toJson(TcpSummarySchema, event.tcpSummary) }),
      ...(event.errorCode !== "" && { errorCode: event.errorCode }),
      ...(event.errorMessage !== "" && { errorMessage: event.errorMessage }),
      ...(event.data.length > 0 && { data: base64(event.data) }),
    })),
  };
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
