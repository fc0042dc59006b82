#!/usr/bin/env python3
"""A hurried JIM client (client.py <addr> [<port>]): no presence, time as time.ctime() (a string), two objects in
one send(), one recv(), and a close without quit."""
import json
import socket
import sys
import time

addr = sys.argv[1]
port = int(sys.argv[2]) if len(sys.argv) > 2 else 7777
sock = socket.create_connection((addr, port))
first = {"action": "msg", "time": time.ctime(), "to": "#all", "from": "sloppy", "message": "hi"}
second = {"action": "join", "time": time.ctime(), "room": "#homework"}
sock.send((json.dumps(first) + json.dumps(second)).encode("ascii"))
print(sock.recv(1024).decode("ascii"), flush=True)
time.sleep(0.2)
sock.close()
