# The Python peer of bench/ws-echo.ts: the workshop's echo and chat on Debian's websockets (asyncio), the
# library a student's Python server would use. Prints {"ready": true, "port": N} once it listens.
#   /api/ws/echo/        {"message": m} -> {"message": m} on the same socket
#   /api/ws/chat/<room>/ {"message": m} -> every socket in the room, the sender included
import asyncio
import json
import os
import sys
import threading

import websockets

ROOMS = {}


async def handler(ws, path):
    try:
        await serve(ws, path)
    except websockets.ConnectionClosed:
        pass


async def serve(ws, path):
    if path.startswith("/api/ws/chat/"):
        room = ROOMS.setdefault(path, set())
        room.add(ws)
        try:
            async for text in ws:
                websockets.broadcast(room, json.dumps({"message": json.loads(text)["message"]}))
        finally:
            room.discard(ws)
        return
    async for text in ws:
        await ws.send(json.dumps({"message": json.loads(text)["message"]}))


async def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    async with websockets.serve(handler, "127.0.0.1", port, compression=None, max_queue=None) as server:
        print(json.dumps({"ready": True, "port": server.sockets[0].getsockname()[1]}), flush=True)
        await asyncio.Future()


# The benchmark closes stdin when it is done (or dies): then this process ends.
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
asyncio.run(main())
