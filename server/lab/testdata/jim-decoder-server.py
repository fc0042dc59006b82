# A JIM server that reads as seed 002's protocol needs (the lesson's third way: an incremental decoder over a buffer),
# for the conformance check's tests: every case passes. Replies as the document writes them: an integer response, a
# numeric time, alert on 2xx and error on 4xx, one object per send(), ASCII; rooms; quit closes.
import json
import socket
import sys
import threading
import time

names = {}
rooms = {}
lock = threading.Lock()


def reply(sock, code, words):
    key = "alert" if code < 400 else "error"
    sock.sendall(json.dumps({"response": code, "time": time.time(), key: words}).encode("ascii"))


def handle(sock, msg, me):
    action = msg.get("action")
    if action == "presence":
        me[0] = msg.get("user", {}).get("account_name", "")
        with lock:
            names[me[0]] = sock
        reply(sock, 200, "OK")
    elif action == "join":
        with lock:
            rooms.setdefault(msg.get("room", ""), set()).add(sock)
        reply(sock, 200, "joined")
    elif action == "msg":
        to = msg.get("to", "")
        with lock:
            target = names.get(to)
        if target is None:
            reply(sock, 404, "no such user: " + to)
        else:
            target.sendall(json.dumps(msg).encode("ascii"))
            reply(sock, 200, "delivered")
    elif action == "quit":
        return False
    else:
        reply(sock, 400, "unknown action")
    return True


def serve(sock):
    decoder = json.JSONDecoder()
    buf = ""
    me = [""]
    with sock:
        while True:
            data = sock.recv(1024)
            if not data:
                break
            buf += data.decode("utf-8", "replace")
            while True:
                buf = buf.lstrip()
                if not buf:
                    break
                try:
                    msg, end = decoder.raw_decode(buf)
                except json.JSONDecodeError:
                    if buf.count("{") and buf.count("{") <= buf.count("}"):
                        buf = ""
                        reply(sock, 400, "not JSON")
                    break
                buf = buf[end:]
                if not isinstance(msg, dict) or not handle(sock, msg, me):
                    with lock:
                        names.pop(me[0], None)
                    return
    with lock:
        names.pop(me[0], None)


def main():
    port = int(sys.argv[sys.argv.index("-p") + 1])
    addr = sys.argv[sys.argv.index("-a") + 1]
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(16)
    print("listening", s.getsockname()[1], flush=True)
    while True:
        sock, _ = s.accept()
        threading.Thread(target=serve, args=(sock,), daemon=True).start()


main()
