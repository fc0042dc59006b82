# A JIM server as a hurried homework writes it (seed 002's server.py -p <port> -a <addr>), broken on purpose for the
# conformance check's tests: one recv(1024) and one json.loads per message (two objects in one read raise "Extra
# data" and the client gets nothing), response as a string, no time, no error text, and quit ignored.
import json
import socket
import sys
import threading


def serve(client):
    with client:
        while True:
            data = client.recv(1024)
            if not data:
                return
            try:
                msg = json.loads(data.decode("ascii"))
            except (ValueError, UnicodeDecodeError):
                continue  # says nothing about a message it cannot read
            if msg.get("action") == "msg":
                reply = {"response": "404", "alert": "unknown"}
            else:
                reply = {"response": "200", "alert": "OK"}
            client.send(json.dumps(reply).encode("ascii"))


def main():
    port = int(sys.argv[sys.argv.index("-p") + 1])
    addr = sys.argv[sys.argv.index("-a") + 1]
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(16)
    print("listening", s.getsockname()[1], flush=True)
    while True:
        client, _ = s.accept()
        threading.Thread(target=serve, args=(client,), daemon=True).start()


main()
