// The JIM server alone, as seed 002's homework runs its server.py:
//   npm run jim:server -- -p <port> -a <addr> [--accounts [--data-dir <dir>] [--account name:password]] [--log]
// -p defaults to 7777, -a to every address (both families where the system has them). The same hub as
// the lab's jim service, behind the same tap and bounds. --accounts checks passwords: accounts given with
// --account name:password (repeatable) are added, as scrypt hashes, to the lab's SQLite store in
// --data-dir (kept between runs), or to memory without it. --log prints every object read and every frame
// written. It prints "JIM server listening on <addr>:<port>" once bound.

import { parseArgs } from "node:util";
import { openStore } from "../../store/store";
import { createJimAccounts, createMemoryAccounts, type JimAccounts } from "./accounts";
import { startJimAlone } from "./jim-service";

const USAGE = `usage: npm run jim:server -- [-p <port>] [-a <addr>] [--accounts [--data-dir <dir>] [--account name:password ...]] [--log]`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string", short: "p", default: "7777" },
        addr: { type: "string", short: "a", default: "::" },
        accounts: { type: "boolean", default: false },
        account: { type: "string", multiple: true, default: [] },
        "data-dir": { type: "string" },
        log: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`-p takes a TCP port (0-65535), got "${values.port}"\n${USAGE}`);
    process.exit(2);
  }
  let accounts: JimAccounts | undefined;
  if (values.accounts) {
    const dir = values["data-dir"];
    accounts = dir === undefined ? createMemoryAccounts() : createJimAccounts(openStore({ dir }).jimAccounts);
    for (const pair of values.account) {
      const colon = pair.indexOf(":");
      if (colon <= 0) {
        console.error(`--account takes name:password, got "${pair}"`);
        process.exit(2);
      }
      await accounts.set(pair.slice(0, colon), pair.slice(colon + 1));
    }
  }
  const log = values.log ? (line: string) => console.log(line) : undefined;
  let jim;
  let addr = values.addr;
  try {
    jim = await startJimAlone({ accounts, log }, addr, port).catch((err: unknown) => {
      // A machine without IPv6 cannot bind "::": every IPv4 address is what "all addresses" means there.
      if (addr !== "::") throw err;
      addr = "0.0.0.0";
      return startJimAlone({ accounts, log }, addr, port);
    });
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const shown = addr.includes(":") ? `[${addr}]` : addr;
  console.log(`JIM server listening on ${shown}:${jim.port}${accounts ? " (accounts mode)" : " (guest mode)"}`);
  const stop = () => {
    void jim.running.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
