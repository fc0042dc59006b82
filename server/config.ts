// The lab host's configuration: command-line flags first, then environment variables, then defaults.
// Every port can be moved on its own, and one offset moves them all (two labs side by side).

import { isIP } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { STORE_DEFAULTS } from "./capture/store";
import { LAB_SERVICES, type LabServiceName } from "./servers/index";
import type { ServicePort } from "./servers/service";

/** The web port: the pages, the control API and /api/status, on one origin. */
export const WEB_PORT = { name: "web", transport: "tcp", defaultPort: 3000, flag: "web-port", env: "LAB_WEB_PORT" } as const satisfies ServicePort;

/** A lab service that nothing serves: the port the lab keeps closed (a connect to it gets RST). */
export function keptClosed(spec: (typeof SERVICES)[number]): boolean {
  return spec.name !== WEB_PORT.name && spec.start === undefined;
}

/** Every port the lab uses, each moved by its own flag: the web port, then the lab's services. */
export const SERVICES: readonly (ServicePort & { readonly name: ServiceName; readonly start?: unknown })[] = [WEB_PORT, ...LAB_SERVICES];

export type ServiceName = typeof WEB_PORT.name | LabServiceName;
export type { LabServiceName };

export interface LabConfig {
  readonly host: string;
  readonly portOffset: number;
  readonly ports: Readonly<Record<ServiceName, number>>;
  /** Run Next.js in development mode (hot reload). */
  readonly dev: boolean;
  /**
   * What one session's timeline shows of each of its sources (the lab clients it opened; the external
   * clients of each address its browser came from): the newest events that fit both bounds. A window
   * onto the host's store, not a copy: it costs no memory of its own.
   */
  readonly ringMaxEvents: number;
  readonly ringMaxBytes: number;
  /**
   * What the host keeps of every session's traffic together, each event once (DESIGN: memory never
   * grows unbounded): the store's bounds (server/capture/store.ts).
   */
  readonly captureMaxEvents: number;
  readonly captureMaxBytes: number;
  /** Wire capture: auto (when permitted), pcap (required), off. */
  readonly capture: "auto" | "pcap" | "off";
  /** The capture program (tcpdump); found on PATH when empty. */
  readonly captureProgram: string;
  /**
   * Host names (or addresses) the web port answers to besides its own (localhost, the loopback
   * addresses, the bound address and, bound to every interface, the machine's addresses): any other
   * `Host` is refused, so a page on another domain that resolves to the lab cannot use it (DNS rebinding).
   */
  readonly allowedHosts: readonly string[];
  /**
   * Addresses besides this machine's loopback that the JIM conformance check may connect to (a student's server on
   * the class LAN): the instructor names them, so the lab never probes an arbitrary host.
   */
  readonly jimCheckHosts: readonly string[];
  /**
   * The jim service in accounts mode (seed 002's authenticate checks passwords, kept as scrypt hashes in the
   * lab's store, table jim_accounts); off: guest mode, any name.
   */
  readonly jimAccounts: boolean;
  /**
   * The folder of the lab's SQLite database (server/store), made on first start; absent: an in-memory
   * database (tests). main.ts puts it in the project's data/ unless --data-dir says otherwise.
   */
  readonly dataDir?: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

const HELP = `Usage: npm start -- [options]

  --host <addr>          address every server binds to (LAB_HOST, default 127.0.0.1)
  --port-offset <n>      added to every port (LAB_PORT_OFFSET, default 0)
${SERVICES.map((s) => `  --${s.flag} <port>`.padEnd(25) + `${s.name} port, ${s.transport} (${s.env}, default ${s.defaultPort})`).join("\n")}
  --ring-max-events <n>  events a session's timeline shows of each source (its lab clients, each
                         address it came from) (LAB_RING_MAX_EVENTS, default 200000)
  --ring-max-mb <n>      the same in MiB of what those events hold (LAB_RING_MAX_MB, default 64)
  --capture-max-events <n>  events the host keeps for all sessions together, each once
                         (LAB_CAPTURE_MAX_EVENTS, default ${STORE_DEFAULTS.maxEvents})
  --capture-max-mb <n>   the same in MiB (LAB_CAPTURE_MAX_MB, default ${STORE_DEFAULTS.maxBytes / 1024 / 1024})
  --capture <mode>       wire capture of real TCP segments: auto, pcap (required) or off
                         (LAB_CAPTURE, default auto: on when permitted)
  --capture-program <p>  the capture program, tcpdump or dumpcap (LAB_CAPTURE_PROGRAM; default: tcpdump, else dumpcap, on PATH)
  --allowed-host <name>  another name the web port answers to, such as the classroom machine's DNS name;
                         repeat it or separate names by commas (LAB_ALLOWED_HOSTS; default: only
                         localhost, the loopback addresses and the addresses the lab listens on)
  --jim-check-host <ip>  an address besides this machine's loopback that the JIM conformance check may
                         test (a student's server on the class LAN); repeat it or separate addresses by
                         commas (LAB_JIM_CHECK_HOSTS)
  --jim-accounts         the jim service in accounts mode: authenticate checks passwords of the accounts
                         in the lab's store (npm run jim:server -- --accounts --account adds them)
                         (LAB_JIM_ACCOUNTS=1; default: guest mode, any name)
  --data-dir <dir>       where the lab keeps its SQLite database, made on first start
                         (LAB_DATA_DIR, default data/ in the project)
  --dev                  Next.js development mode
  --help                 this text`;

export function helpText(): string {
  return HELP;
}

function integer(raw: string, what: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${what} must be an integer, got "${raw}"`);
  const value = Number.parseInt(raw, 10);
  if (value < min || value > max) throw new ConfigError(`${what} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Parses argv and env into a config. Throws ConfigError with a one-line message on bad input. */
export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): LabConfig & { help: boolean } {
  const options = {
    host: { type: "string" },
    "port-offset": { type: "string" },
    "ring-max-events": { type: "string" },
    "ring-max-mb": { type: "string" },
    "capture-max-events": { type: "string" },
    "capture-max-mb": { type: "string" },
    capture: { type: "string" },
    "capture-program": { type: "string" },
    "allowed-host": { type: "string", multiple: true },
    "jim-check-host": { type: "string", multiple: true },
    "jim-accounts": { type: "boolean" },
    "data-dir": { type: "string" },
    dev: { type: "boolean" },
    help: { type: "boolean" },
    ...Object.fromEntries(SERVICES.map((s) => [s.flag, { type: "string" }])),
  } as const;
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
  const pick = (flag: string, envName: string): string | undefined => {
    const fromFlag = values[flag];
    if (typeof fromFlag === "string") return fromFlag;
    const fromEnv = env[envName];
    return fromEnv === undefined || fromEnv === "" ? undefined : fromEnv;
  };

  const offsetRaw = pick("port-offset", "LAB_PORT_OFFSET");
  const portOffset = offsetRaw === undefined ? 0 : integer(offsetRaw, "--port-offset", -65535, 65535);
  const ports = {} as Record<ServiceName, number>;
  for (const s of SERVICES) {
    const raw = pick(s.flag, s.env);
    // Port 0 asks the system for a free port (tests use it); the offset does not apply to it. A port the
    // lab keeps closed must be a real one.
    const kept = keptClosed(s);
    const base = raw === undefined ? s.defaultPort : integer(raw, `--${s.flag}`, kept ? 1 : 0, 65535);
    const port = base === 0 ? 0 : base + portOffset;
    if (port < (kept ? 1 : 0) || port > 65535) {
      throw new ConfigError(`--${s.flag} ${base} with --port-offset ${portOffset} gives port ${port}, outside ${kept ? 1 : 0}-65535`);
    }
    ports[s.name] = port;
  }
  const capture = pick("capture", "LAB_CAPTURE") ?? "auto";
  if (capture !== "auto" && capture !== "pcap" && capture !== "off") {
    throw new ConfigError(`--capture must be auto, pcap or off, got "${capture}"`);
  }
  const hostsFlag = values["allowed-host"];
  const allowedHosts = (Array.isArray(hostsFlag) ? hostsFlag : [env.LAB_ALLOWED_HOSTS ?? ""])
    .flatMap((list) => list.split(","))
    .map((name) => name.trim())
    .filter((name) => name !== "")
    .map((name) => parseAllowedHost(name));
  const checkFlag = values["jim-check-host"];
  const jimCheckHosts = (Array.isArray(checkFlag) ? checkFlag : [env.LAB_JIM_CHECK_HOSTS ?? ""])
    .flatMap((list) => list.split(","))
    .map((name) => name.trim())
    .filter((name) => name !== "");
  for (const address of jimCheckHosts) {
    if (isIP(address) === 0) throw new ConfigError(`--jim-check-host takes an IP address (a student's machine), got "${address}"`);
  }
  const jimAccounts = values["jim-accounts"] === true || flagFromEnv(env.LAB_JIM_ACCOUNTS, "LAB_JIM_ACCOUNTS");
  const eventsRaw = pick("ring-max-events", "LAB_RING_MAX_EVENTS");
  const mbRaw = pick("ring-max-mb", "LAB_RING_MAX_MB");
  const storeEventsRaw = pick("capture-max-events", "LAB_CAPTURE_MAX_EVENTS");
  const storeMbRaw = pick("capture-max-mb", "LAB_CAPTURE_MAX_MB");
  return {
    host: pick("host", "LAB_HOST") ?? "127.0.0.1",
    portOffset,
    ports,
    dev: values.dev === true,
    help: values.help === true,
    ringMaxEvents: eventsRaw === undefined ? 200_000 : integer(eventsRaw, "--ring-max-events", 100, 10_000_000),
    ringMaxBytes: (mbRaw === undefined ? 64 : integer(mbRaw, "--ring-max-mb", 1, 16_384)) * 1024 * 1024,
    captureMaxEvents: storeEventsRaw === undefined ? STORE_DEFAULTS.maxEvents : integer(storeEventsRaw, "--capture-max-events", 100, 100_000_000),
    captureMaxBytes:
      storeMbRaw === undefined ? STORE_DEFAULTS.maxBytes : integer(storeMbRaw, "--capture-max-mb", 1, 16_384) * 1024 * 1024,
    capture,
    captureProgram: pick("capture-program", "LAB_CAPTURE_PROGRAM") ?? "",
    allowedHosts,
    jimCheckHosts,
    jimAccounts,
    dataDir: dataDirOf(pick("data-dir", "LAB_DATA_DIR")),
  };
}

/** A boolean environment variable: 1/true/yes/on or 0/false/no/off (or unset, empty). */
function flagFromEnv(raw: string | undefined, name: string): boolean {
  const value = (raw ?? "").trim().toLowerCase();
  if (value === "" || value === "0" || value === "false" || value === "no" || value === "off") return false;
  if (value === "1" || value === "true" || value === "yes" || value === "on") return true;
  throw new ConfigError(`${name} must be 1 or 0 (true or false), got "${raw}"`);
}

/** The data folder, absolute (relative to the working directory as given). */
function dataDirOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === "") throw new ConfigError("--data-dir must name a folder");
  return path.resolve(raw);
}

/** A name as a `Host` header carries it (no port, no scheme), lower-cased; IPv6 without brackets. */
function parseAllowedHost(raw: string): string {
  const name = raw.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (!/^[a-z0-9.-]+$/.test(name) && !/^[0-9a-f:.]+$/.test(name)) {
    throw new ConfigError(`--allowed-host takes a host name or an address without scheme or port, got "${raw}"`);
  }
  return name;
}
