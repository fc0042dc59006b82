#!/usr/bin/env python3
"""A JIM client that talks long (client.py <addr> [<port>] [<count>]): a presence, then <count> msgs to itself,
each reply read before the next, then quit. For the client check's bound on events per connection."""
import json
import socket
import sys
import time

addr = sys.argv[1]
port = int(sys.argv[2]) if len(sys.argv) > 2 else 7777
count = int(sys.argv[3]) if len(sys.argv) > 3 else 1500
sock = socket.create_connection((addr, port))


def call(msg):
    msg["time"] = time.time()
    sock.send(json.dumps(msg).encode("ascii"))
    return json.loads(sock.recv(1024).decode("ascii"))


call({"action": "presence", "user": {"account_name": "chatty", "status": ""}})
for i in range(count):
    call({"action": "msg", "to": "#all", "from": "chatty", "message": str(i)})
sock.send(json.dumps({"action": "quit"}).encode("ascii"))
sock.close()
