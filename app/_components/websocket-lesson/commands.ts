// The WebSocket lesson's terminal commands: websocat and Python's websockets against the lab's echo and chat, at the
// host and port the lab host reports. server/clients/websocket-commands.it.test.ts runs the Python through Debian's
// python3 against a lab host.

import { py, type Endpoint } from "../home/commands";

/** ws://host:port/path, with an IPv6 host in brackets. */
export function wsUrl({ host, port }: Endpoint, path: string): string {
  return `ws://${host.includes(":") ? `[${host}]` : host}:${port}${path}`;
}

export function websocatEcho(endpoint: Endpoint): string {
  return `websocat ${wsUrl(endpoint, "/api/ws/echo/")}`;
}

export function websocatChat(endpoint: Endpoint): string {
  return `websocat ${wsUrl(endpoint, "/api/ws/chat/lobby/")}`;
}

export function pythonEcho(endpoint: Endpoint): string {
  return [
    "import asyncio, json",
    "import websockets",
    "",
    "async def main():",
    `    async with websockets.connect(${py(wsUrl(endpoint, "/api/ws/echo/"))}) as ws:`,
    '        await ws.send(json.dumps({"message": "hello"}))',
    "        print(await ws.recv())",
    "        pong = await ws.ping()",
    "        await pong",
    '        print("pong received")',
    "",
    "asyncio.run(main())",
  ].join("\n");
}

export function pythonChat(endpoint: Endpoint): string {
  return [
    "import asyncio, json",
    "import websockets",
    "",
    "async def main():",
    `    async with websockets.connect(${py(wsUrl(endpoint, "/api/ws/chat/lobby/"))}) as ws:`,
    '        await ws.send(json.dumps({"message": "hi from Python"}))',
    "        async for message in ws:",
    '            print(json.loads(message)["message"])',
    "",
    "asyncio.run(main())",
  ].join("\n");
}
