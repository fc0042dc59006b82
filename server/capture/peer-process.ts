// Which program an outside client is (issue 15 §1.6): the process that holds the other end of an accepted TCP
// connection, where the operating system tells it. On Linux, with no extra tool: /proc/net/tcp and tcp6 give the
// socket whose local address is the client's end and whose remote address is the server's (its inode), and the
// /proc/<pid>/fd links name the socket's inode ("socket:[123]") for the processes the lab may look into (its own
// user's, or all of them as root). Nothing is found for another user's program without root, for a program that has
// already exited, on another system, or when the client is on another machine (which is said: no lookup is made).
//
// Off the hot path: a lookup is queued when a connection is settled as external and answered later; queued lookups
// are served together (one read of the socket tables and one walk of the processes for all of them), one walk at a
// time and at least walkGapMs apart, or four times the last walk's time if longer (a student's loop of connections
// costs a walk per gap, not one per connection, and walking never takes more than a fifth of the time),
// at most maxPending waiting (more are answered "unknown" at once). A walk reads /proc synchronously in slices of a
// couple of milliseconds, the owners found lately and the newest processes first, within a budget of descriptors.
// Never throws: any error is "unknown".

import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { networkInterfaces } from "node:os";
import type { ConversationInfo, Endpoint } from "./events";

export interface PeerProcess {
  readonly pid: number;
  /** The program's name as the kernel keeps it (/proc/<pid>/comm: at most 15 characters, "nc", "python3"). */
  readonly command: string;
}

export interface PeerProcessResolver {
  /** The process holding the client's end of the connection from `client` to `server`; null when not told. */
  lookup(client: Endpoint, server: Endpoint): Promise<PeerProcess | null>;
  /** Walks of the processes made so far (for tests: lookups close together share one). */
  readonly walks: number;
}

export interface PeerProcessOptions {
  /** Where procfs is mounted (tests give a fixture tree). */
  readonly procRoot?: string;
  /** Lookups waiting for the next walk; beyond it a lookup is answered null at once. */
  readonly maxPending?: number;
  /** Processes looked into per walk, at most. */
  readonly maxProcesses?: number;
  /** File descriptors read per walk, at most (a busy program holds thousands). */
  readonly maxDescriptors?: number;
  /** A walk starts at least this long after the last one ended: lookups meanwhile wait and share it. */
  readonly walkGapMs?: number;
}

export const PEER_PROCESS_LIMITS = { maxPending: 64, maxProcesses: 4096, maxDescriptors: 65_536, walkGapMs: 100 } as const;

/** A walk reads /proc synchronously (a tenth of the CPU of a promise per readlink) in slices of this long at most. */
const SLICE_MS = 2;
/** Owners found lately, looked into first: a program that opened one connection often opens the next. */
const RECENT_OWNERS = 8;

/** The address's 16 bytes as 32 hex digits (IPv4 as its IPv4-mapped IPv6 form); null when it is not an address. */
export function addressKey(ip: string): string | null {
  const v4 = (text: string): number[] | null => {
    const parts = text.split(".");
    if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return null;
    return parts.map(Number);
  };
  const hex = (bytes: number[]) => bytes.map((byte) => byte.toString(16).padStart(2, "0")).join("");
  const plain = ip.replace(/%.*$/, "");
  const four = v4(plain);
  if (four) return hex([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...four]);
  if (!plain.includes(":")) return null;
  const halves = plain.split("::");
  if (halves.length > 2) return null;
  const groups = (text: string): number[] | null => {
    if (text === "") return [];
    const out: number[] = [];
    const parts = text.split(":");
    for (const [index, part] of parts.entries()) {
      if (index === parts.length - 1 && part.includes(".")) {
        const tail = v4(part);
        if (!tail) return null;
        out.push((tail[0]! << 8) | tail[1]!, (tail[2]! << 8) | tail[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) out.push(parseInt(part, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return hex(all.flatMap((group) => [group >> 8, group & 0xff]));
}

/** A /proc/net/tcp{,6} address ("0100007F:1F90": the address's 32-bit words in host order, little-endian here). */
export function procAddressKey(field: string): { key: string; port: number } | null {
  const [address, port] = field.split(":");
  if (!address || !port || !/^[0-9A-Fa-f]+$/.test(address) || (address.length !== 8 && address.length !== 32)) return null;
  const words = address.match(/.{8}/g)!.map((word) => word.match(/../g)!.reverse().join(""));
  const bytes = words.join("").toLowerCase();
  const key = address.length === 8 ? `00000000000000000000ffff${bytes}` : bytes;
  return { key, port: parseInt(port, 16) };
}

/** The inodes of the sockets in a /proc/net/tcp{,6} text, by "local key:port>remote key:port". */
export function socketInodes(table: string, into: Map<string, number> = new Map()): Map<string, number> {
  for (const line of table.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const local = procAddressKey(fields[1]!);
    const remote = procAddressKey(fields[2]!);
    const inode = Number(fields[9]);
    if (!local || !remote || !Number.isSafeInteger(inode) || inode <= 0) continue;
    into.set(`${local.key}:${local.port}>${remote.key}:${remote.port}`, inode);
  }
  return into;
}

/** This machine's addresses, read again at most every LOCAL_ADDRESSES_MS (interfaces come and go, rarely). */
const LOCAL_ADDRESSES_MS = 10_000;
let localAddresses: { readonly keys: ReadonlySet<string>; readonly at: number } | null = null;

/** Whether `ip` is one of this machine's addresses (loopback included): only then can its process be looked up. */
export function isLocalAddress(ip: string): boolean {
  const key = addressKey(ip);
  if (key === null) return false;
  if (key.startsWith("00000000000000000000ffff7f") || key === "00000000000000000000000000000001") return true;
  const now = Date.now();
  if (localAddresses === null || now - localAddresses.at > LOCAL_ADDRESSES_MS) {
    const keys = new Set<string>();
    for (const list of Object.values(networkInterfaces())) {
      for (const entry of list ?? []) {
        const local = addressKey(entry.address);
        if (local !== null) keys.add(local);
      }
    }
    localAddresses = { keys, at: now };
  }
  return localAddresses.keys.has(key);
}

interface Pending {
  readonly key: string;
  readonly resolve: (process: PeerProcess | null) => void;
}

export function createPeerProcessResolver(options: PeerProcessOptions = {}): PeerProcessResolver {
  const root = options.procRoot ?? "/proc";
  const maxPending = options.maxPending ?? PEER_PROCESS_LIMITS.maxPending;
  const maxProcesses = options.maxProcesses ?? PEER_PROCESS_LIMITS.maxProcesses;
  const maxDescriptors = options.maxDescriptors ?? PEER_PROCESS_LIMITS.maxDescriptors;
  const walkGapMs = options.walkGapMs ?? PEER_PROCESS_LIMITS.walkGapMs;
  let pending: Pending[] = [];
  let walking = false;
  let walks = 0;
  let lastWalkEnd = -Infinity;
  let lastWalkMs = 0;
  let recent: number[] = [];

  function readTables(): Map<string, number> {
    const inodes = new Map<string, number>();
    for (const name of ["tcp", "tcp6"]) {
      let text = "";
      try {
        text = readFileSync(`${root}/net/${name}`, "latin1");
      } catch {
        // No such table (no IPv6): nothing of it.
      }
      socketInodes(text, inodes);
    }
    return inodes;
  }

  /**
   * Walks the processes once for every inode wanted, the owners found lately first and then the newest processes
   * (the student's nc or python3 has just started); stops when all are found or the descriptor budget is spent.
   */
  async function owners(wanted: Set<number>): Promise<Map<number, PeerProcess>> {
    const found = new Map<number, PeerProcess>();
    if (wanted.size === 0) return found;
    const pids = list(root)
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .sort((a, b) => b - a)
      .slice(0, maxProcesses);
    const alive = new Set(pids);
    const order = [...recent.filter((pid) => alive.has(pid)), ...pids.filter((pid) => !recent.includes(pid))];
    let budget = maxDescriptors;
    let slice = performance.now();
    let sinceCheck = 0;
    for (const pid of order) {
      // The lab itself: an outside program is never the lab's own process, whose sockets are its servers' thousands.
      if (root === "/proc" && pid === process.pid) continue;
      // Another user's process without root: its fd directory cannot be read, and it is skipped.
      const fds = list(`${root}/${pid}/fd`);
      if (fds.length > budget) break;
      budget -= fds.length;
      for (const fd of fds) {
        const match = /^socket:\[(\d+)\]$/.exec(link(`${root}/${pid}/fd/${fd}`));
        if (match) {
          const inode = Number(match[1]);
          if (wanted.has(inode) && !found.has(inode)) {
            const command = text(`${root}/${pid}/comm`).trim();
            if (command !== "") {
              found.set(inode, { pid, command });
              recent = [pid, ...recent.filter((other) => other !== pid)].slice(0, RECENT_OWNERS);
            }
          }
        }
        // The servers run between slices: a walk of thousands of descriptors does not hold them up.
        if (++sinceCheck >= 256) {
          sinceCheck = 0;
          if (performance.now() - slice > SLICE_MS) {
            await new Promise<void>((resolve) => setImmediate(resolve));
            slice = performance.now();
          }
        }
      }
      if (found.size === wanted.size) break;
    }
    return found;
  }

  async function walk(): Promise<void> {
    if (walking) return;
    walking = true;
    try {
      while (pending.length > 0) {
        // Lookups that come while a walk is recent wait for the gap and then share the next one. A long walk (a host
        // with many processes) makes the gap longer: walking takes at most a fifth of the time.
        const wait = lastWalkEnd + Math.max(walkGapMs, 4 * lastWalkMs) - performance.now();
        if (wait > 0) await new Promise<void>((resolve) => setTimeout(resolve, wait).unref());
        const batch = pending;
        pending = [];
        walks++;
        const started = performance.now();
        try {
          const inodes = readTables();
          const wanted = new Map<Pending, number>();
          for (const request of batch) {
            const inode = inodes.get(request.key);
            if (inode !== undefined) wanted.set(request, inode);
          }
          const found = await owners(new Set(wanted.values()));
          for (const request of batch) {
            const inode = wanted.get(request);
            request.resolve(inode === undefined ? null : (found.get(inode) ?? null));
          }
        } catch {
          for (const request of batch) request.resolve(null);
        } finally {
          lastWalkEnd = performance.now();
          lastWalkMs = lastWalkEnd - started;
        }
      }
    } finally {
      walking = false;
    }
  }

  return {
    lookup(client, server) {
      const clientKey = addressKey(client.ip);
      const serverKey = addressKey(server.ip);
      if (clientKey === null || serverKey === null || pending.length >= maxPending) return Promise.resolve(null);
      // The client's socket: its local end is the client's address, its remote end the server's.
      const key = `${clientKey}:${client.port}>${serverKey}:${server.port}`;
      return new Promise((resolve) => {
        pending.push({ key, resolve });
        // Started on a later turn, so the connections accepted in one burst share a walk.
        setImmediate(() => void walk());
      });
    },
    get walks() {
      return walks;
    },
  };
}

/** A directory's names; none when it cannot be read. */
function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A symbolic link's target; "" when it cannot be read (the descriptor closed meanwhile). */
function link(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "";
  }
}

function text(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

let shared: PeerProcessResolver | null = null;

type NamedListener = (info: ConversationInfo) => void;
const namedListeners = new Set<NamedListener>();

/**
 * Calls `listener` with each conversation whose program is told after the conversation began (a page that drew its
 * lane before then sends it again at once, not only with the conversation's next event); returns the unsubscribe.
 */
export function onProgramNamed(listener: NamedListener): () => void {
  namedListeners.add(listener);
  return () => void namedListeners.delete(listener);
}

/**
 * For an external TCP client: marks one on another machine at once, and otherwise asks for its program, which is put
 * on the conversation when told (the next batch a reader gets sends the conversation again with it). Never waits.
 */
export function notePeerProcess(info: ConversationInfo, resolver: Pick<PeerProcessResolver, "lookup"> = (shared ??= createPeerProcessResolver())): void {
  if (info.transport !== "tcp" || info.origin !== "external") return;
  if (!isLocalAddress(info.client.ip)) {
    info.otherMachine = true;
    return;
  }
  void resolver.lookup(info.client, info.server).then((found) => {
    if (!found) return;
    info.process = found;
    for (const listener of namedListeners) listener(info);
  });
}
