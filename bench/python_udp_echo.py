"""The Python baseline of the UDP echo benchmark: a thread-per-datagram echo server built the way seed
000's course page builds its UDPServer (the lab's own code, not a copy of the page's):

  socket(AF_INET, SOCK_DGRAM), bind, then a loop on recvfrom(1024) that starts one daemon thread per
  datagram; the thread decodes the bytes as UTF-8, answers "UDP-ECHO: <message>" with sendto, and
  sends struct.pack('If', 42, 3.14) after a message that starts with "BINARY". A datagram that is not
  UTF-8 gets no answer (the seed's thread logs the exception and ends).

The seed prints a line for every datagram. That is console logging, not part of the protocol, and
printing 10^4 lines a second would measure the terminal instead of the server, so it is off unless
--log is given (then the lines go to stderr).

Protocol with the benchmark: once bound it prints {"ready": true, "port": N, "pid": N} on stdout; when
stdin reaches EOF (the benchmark stopped or died) it exits.

  python3 bench/python_udp_echo.py [--port N] [--log]
"""

import json
import os
import socket
import struct
import sys
import threading


class UDPServer:
    def __init__(self, host="127.0.0.1", port=0, log=False):
        self.host = host
        self.port = port
        self.log = log
        self.server_socket = None

    def say(self, text):
        if self.log:
            print(text, file=sys.stderr, flush=True)

    def start(self):
        self.server_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.server_socket.bind((self.host, self.port))
        port = self.server_socket.getsockname()[1]
        print(json.dumps({"ready": True, "port": port, "pid": os.getpid()}), flush=True)
        try:
            while True:
                data, client_address = self.server_socket.recvfrom(1024)
                thread = threading.Thread(target=self.handle_client, args=(data, client_address))
                thread.daemon = True
                thread.start()
        except OSError:
            pass  # the socket was closed: stop serving

    def handle_client(self, data, client_address):
        try:
            message = data.decode("utf-8")
            self.say(f"Received from {client_address}: {message}")
            self.server_socket.sendto(f"UDP-ECHO: {message}".encode("utf-8"), client_address)
            if message.startswith("BINARY"):
                self.server_socket.sendto(struct.pack("If", 42, 3.14), client_address)
        except Exception as e:  # the seed's handler logs and drops what it cannot read
            self.say(f"Error processing data from {client_address}: {e}")


def main():
    args = sys.argv[1:]
    port = int(args[args.index("--port") + 1]) if "--port" in args else 0
    server = UDPServer(port=port, log="--log" in args)

    def watch_stdin():
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    server.start()


if __name__ == "__main__":
    main()
