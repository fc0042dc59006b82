"""The Python baseline of the JIM benchmark: a JIM server written the way seed 002's homework asks for
one (the lab's own code, not a copy of anything), on one thread with I/O multiplexing, as the course's
next lessons build it: non-blocking sockets and a selector.

select.select() itself cannot take 1,000 clients: it refuses descriptors past FD_SETSIZE (1024), and the
benchmark's sockets get numbers above that. So the server uses selectors.DefaultSelector (epoll on Linux),
the same loop with a selector that scales; everything else is what a careful student writes:

  - recv(4096) into a per-client buffer, objects cut with json.JSONDecoder.raw_decode (so objects that TCP
    joins or splits are read correctly; one json.loads per recv would not be);
  - presence (names), join/leave (rooms as sets), msg to a #room (to every member but the sender) or to a
    user, quit; each answered {"response": 200, "time": ..., "alert": ...} with json.dumps;
  - what cannot be sent now waits in a per-client output buffer, written when the socket is writable.

Protocol with the benchmark: once listening it prints {"ready": true, "port": N, "pid": N} on stdout;
when stdin reaches EOF (the benchmark stopped or died) it exits.

  python3 bench/python_jim.py
"""

import json
import os
import selectors
import socket
import sys
import time

decoder = json.JSONDecoder()
sel = selectors.DefaultSelector()


class Client:
    def __init__(self, sock):
        self.sock = sock
        self.inbuf = ""
        self.outbuf = bytearray()
        self.name = None
        self.rooms = set()
        self.writing = False


clients = {}
names = {}
rooms = {}


def reply(client, code, text):
    key = "alert" if code < 400 else "error"
    send(client, json.dumps({"response": code, "time": time.time(), key: text}).encode("ascii"))


def send(client, data):
    if not client.outbuf:
        try:
            sent = client.sock.send(data)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            return
        data = data[sent:]
    if data:
        client.outbuf += data
        if not client.writing:
            client.writing = True
            sel.modify(client.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, client)


def drop(client):
    sel.unregister(client.sock)
    client.sock.close()
    clients.pop(client.sock, None)
    if client.name is not None and names.get(client.name) is client:
        del names[client.name]
    for room in client.rooms:
        members = rooms.get(room)
        if members is not None:
            members.discard(client)
            if not members:
                del rooms[room]


def handle(client, obj):
    action = obj.get("action")
    if action == "presence":
        name = (obj.get("user") or {}).get("account_name")
        if name is not None:
            if name in names and names[name] is not client:
                return reply(client, 409, "name in use")
            client.name = name
            names[name] = client
        return reply(client, 200, "OK")
    if action == "join":
        room = obj.get("room", "")
        rooms.setdefault(room, set()).add(client)
        client.rooms.add(room)
        return reply(client, 200, "joined " + room)
    if action == "leave":
        room = obj.get("room", "")
        rooms.get(room, set()).discard(client)
        client.rooms.discard(room)
        return reply(client, 200, "left " + room)
    if action == "msg":
        to = obj.get("to", "")
        out = json.dumps({"action": "msg", "time": time.time(), "to": to, "from": client.name,
                          "encoding": obj.get("encoding", "ascii"), "message": obj.get("message", "")}).encode("ascii")
        if to.startswith("#"):
            members = rooms.get(to)
            if members is None:
                return reply(client, 404, "no room " + to)
            for member in list(members):
                if member is not client:
                    send(member, out)
            return reply(client, 200, "OK")
        target = names.get(to)
        if target is None:
            return reply(client, 404, "no user " + to)
        send(target, out)
        return reply(client, 200, "OK")
    if action == "quit":
        return "quit"
    return reply(client, 400, "unknown action")


def readable(client):
    try:
        data = client.sock.recv(4096)
    except (BlockingIOError, InterruptedError):
        return
    except OSError:
        return drop(client)
    if not data:
        return drop(client)
    client.inbuf += data.decode("utf-8", errors="replace")
    while True:
        text = client.inbuf.lstrip()
        if not text:
            client.inbuf = ""
            return
        try:
            obj, end = decoder.raw_decode(text)
        except json.JSONDecodeError:
            client.inbuf = text
            if len(text) > 65536:
                return drop(client)
            return
        client.inbuf = text[end:]
        if not isinstance(obj, dict):
            reply(client, 400, "not an object")
        elif handle(client, obj) == "quit":
            return drop(client)


def writable(client):
    try:
        sent = client.sock.send(client.outbuf)
    except (BlockingIOError, InterruptedError):
        return
    except OSError:
        return drop(client)
    del client.outbuf[:sent]
    if not client.outbuf:
        client.writing = False
        sel.modify(client.sock, selectors.EVENT_READ, client)


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(1024)
    server.setblocking(False)
    sel.register(server, selectors.EVENT_READ, None)
    sel.register(sys.stdin, selectors.EVENT_READ, "stdin")
    print(json.dumps({"ready": True, "port": server.getsockname()[1], "pid": os.getpid()}), flush=True)
    while True:
        for key, events in sel.select():
            if key.data is None:
                try:
                    sock, _ = server.accept()
                except (BlockingIOError, InterruptedError):
                    continue
                sock.setblocking(False)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                client = Client(sock)
                clients[sock] = client
                sel.register(sock, selectors.EVENT_READ, client)
            elif key.data == "stdin":
                if not sys.stdin.readline():
                    return
            else:
                if events & selectors.EVENT_WRITE and key.fileobj in clients:
                    writable(key.data)
                if events & selectors.EVENT_READ and key.fileobj in clients:
                    readable(key.data)


main()
