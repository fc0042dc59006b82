#!/usr/bin/env python3
"""A JIM client as seed 002's homework asks (client.py <addr> [<port>]): presence first, one json.dumps per
send(), one recv(1024) + json.loads per reply, a message to a room it joined, then quit. Prints each reply."""
import json
import socket
import sys
import time

addr = sys.argv[1]
port = int(sys.argv[2]) if len(sys.argv) > 2 else 7777
sock = socket.create_connection((addr, port))


def send(msg):
    msg["time"] = time.time()
    sock.send(json.dumps(msg).encode("ascii"))


def recv():
    reply = json.loads(sock.recv(1024).decode("ascii"))
    print(json.dumps(reply), flush=True)
    return reply


send({"action": "presence", "type": "status", "user": {"account_name": "goodclient", "status": "here"}})
recv()
send({"action": "join", "room": "#homework"})
recv()
send({"action": "msg", "to": "#homework", "from": "goodclient", "encoding": "ascii", "message": "hello"})
recv()
sock.send(json.dumps({"action": "quit"}).encode("ascii"))
sock.close()
