// The lab host: `npm start`. Starts the lab's servers and the web app on one process, prints where
// everything listens, and shuts down gracefully on SIGINT/SIGTERM.

import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { ConfigError, helpText, parseConfig } from "./config";
import { checkPorts, PortInUseError, startLabHost, type LabHost } from "./lab/host";
import { ensureWebBuild } from "./web-build";

// The lab sends nothing anywhere: Next.js telemetry stays off.
process.env.NEXT_TELEMETRY_DISABLED = "1";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function fail(message: string): never {
  process.stderr.write(`protocol-lab: ${message}\n`);
  process.exit(1);
}

async function main() {
  let config;
  try {
    const parsed = parseConfig(process.argv.slice(2), process.env);
    // The lab's database lives in the project's data/ folder (git-ignored) unless moved.
    config = { ...parsed, dataDir: parsed.dataDir ?? path.join(root, "data") };
  } catch (err) {
    if (err instanceof ConfigError) fail(`${err.message}\n\n${helpText()}`);
    throw err;
  }
  if (config.help) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }

  try {
    await checkPorts(config);
  } catch (err) {
    if (err instanceof PortInUseError) fail(err.message);
    throw err;
  }
  if (!config.dev && !ensureWebBuild(root, (line) => process.stdout.write(`${line}\n`))) {
    fail("the web app did not build; see the errors above.");
  }
  const app = next({ dev: config.dev, dir: root, hostname: config.host, port: config.ports.web });
  await app.prepare();
  const handle = app.getRequestHandler();

  let host: LabHost;
  try {
    host = await startLabHost(config, (req, res) => handle(req, res));
  } catch (err) {
    if (err instanceof PortInUseError) fail(err.message);
    throw err;
  }

  const shown = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const lines = [`Protocol Lab is running: http://${shown.includes(":") ? `[${shown}]` : shown}:${host.port("web")}/`, ""];
  for (const s of host.status()) {
    const state = s.state === "closed" ? "kept closed (RST experiment)" : s.state;
    // A multicast receiver listens on its group; whether it could join it is part of its state.
    const where = s.multicast ? `${s.multicast.group}:${s.port}` : `${s.host}:${s.port}`;
    const joined = s.multicast ? (s.multicast.joined ? ` (joined on ${s.host})` : " (could not join: see above)") : "";
    lines.push(`  ${s.name.padEnd(13)} ${s.transport} ${where}  ${state}${joined}`);
  }
  lines.push(
    "",
    host.capture.mode === "real segments"
      ? "Wire capture: on (real TCP segments on the timeline)."
      : `Wire capture: off (socket events only): ${host.capture.reason}.`,
  );
  lines.push("", "Press Ctrl+C to stop.");
  process.stdout.write(`${lines.join("\n")}\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the lab…\n`);
    const force = setTimeout(() => process.exit(0), 5_000);
    force.unref();
    void host
      .stop()
      .then(() => app.close?.())
      .then(() => process.exit(0));
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
