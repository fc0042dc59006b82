# A JIM client as seed 002's homework writes one: socket.send(json.dumps(obj).encode(...)) for each
# object, and one recv(1024) + json.loads for each reply. The test drives it over stdin, one command a
# line, so several such clients can talk to each other in one scenario:
#   SEND <json>        send the object (json.dumps of it, with "time": time.time() added unless present)
#   SENDRAW <hex>      send these bytes as they are
#   RECV               one recv(1024), then json.loads; prints {"raw": <hex>, "obj": <object or null>, "error": ...}
#   CLOSE              close the socket and exit
# Usage: homework_client.py <addr> [<port>]
import binascii
import json
import socket
import sys
import time


def main():
    addr = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 7777
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect((addr, port))
    print(json.dumps({"ready": sock.getsockname()[1]}), flush=True)
    for line in sys.stdin:
        command, _, arg = line.rstrip("\n").partition(" ")
        if command == "SEND":
            obj = json.loads(arg)
            if "time" not in obj and obj.get("action") != "quit":
                obj["time"] = time.time()
            sock.send(json.dumps(obj).encode("ascii"))
            print(json.dumps({"sent": True}), flush=True)
        elif command == "SENDRAW":
            sock.send(binascii.unhexlify(arg))
            print(json.dumps({"sent": True}), flush=True)
        elif command == "RECV":
            data = sock.recv(1024)
            result = {"raw": data.hex(), "obj": None, "error": None}
            try:
                result["obj"] = json.loads(data.decode("ascii"))
            except Exception as err:  # what the homework client would crash on, reported instead
                result["error"] = type(err).__name__
            print(json.dumps(result), flush=True)
        elif command == "CLOSE":
            sock.close()
            print(json.dumps({"closed": True}), flush=True)
            return


main()
