"""The Python baseline of the TCP echo benchmark: a thread-per-client echo server built the way seed
000's course page builds its TCP server (the lab's own code, not a copy of the page's):

  socket(AF_INET, SOCK_STREAM), SO_REUSEADDR, bind, listen(5), an accept loop that starts one daemon
  thread per client; the thread sends "Welcome to TCP Server! Your address: ('<ip>', <port>)", then
  loops on recv(1024): b"" ends it, otherwise the bytes are decoded as UTF-8 and stripped, and the
  answer is "ECHO: <message>" (plus "Server time: ..." for "time", "Goodbye!" and close for "exit").

The seed prints a line for every connection and every message. That is console logging, not part of
the protocol, and printing 10^5 lines a second would measure the terminal instead of the server, so
it is off unless --log is given (then the lines go to stderr).

Protocol with the benchmark: once listening it prints {"ready": true, "port": N, "pid": N} on stdout;
when stdin reaches EOF (the benchmark stopped or died) it exits.

  python3 bench/python_echo.py [--port N] [--log]
"""

import json
import os
import socket
import sys
import threading
import time


class EchoServer:
    def __init__(self, host="127.0.0.1", port=0, log=False):
        self.host = host
        self.port = port
        self.log = log
        self.server_socket = None

    def say(self, text):
        if self.log:
            print(text, file=sys.stderr, flush=True)

    def start(self):
        self.server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server_socket.bind((self.host, self.port))
        # The seed's backlog. The benchmark's load generator connects one client at a time, so a
        # short accept queue does not turn into SYN retransmissions during setup.
        self.server_socket.listen(5)
        port = self.server_socket.getsockname()[1]
        print(json.dumps({"ready": True, "port": port, "pid": os.getpid()}), flush=True)
        try:
            while True:
                client_socket, client_address = self.server_socket.accept()
                self.say(f"New connection from {client_address}")
                thread = threading.Thread(target=self.handle_client, args=(client_socket, client_address))
                thread.daemon = True
                thread.start()
        except OSError:
            pass  # the listening socket was closed: stop accepting
        finally:
            self.stop()

    def handle_client(self, client_socket, client_address):
        try:
            client_socket.send(f"Welcome to TCP Server! Your address: {client_address}".encode("utf-8"))
            while True:
                data = client_socket.recv(1024)
                if not data:
                    self.say(f"Connection closed by {client_address}")
                    break
                message = data.decode("utf-8").strip()
                self.say(f"Received from {client_address}: {message}")
                client_socket.send(f"ECHO: {message}".encode("utf-8"))
                command = message.lower()
                if command == "time":
                    now = time.strftime("%Y-%m-%d %H:%M:%S")
                    client_socket.send(f"Server time: {now}".encode("utf-8"))
                elif command == "exit":
                    client_socket.send("Goodbye!".encode("utf-8"))
                    break
        except ConnectionResetError:
            self.say(f"Connection lost with {client_address}")
        except Exception as e:  # the seed's catch-all: one bad client must not stop the server
            self.say(f"Error with {client_address}: {e}")
        finally:
            client_socket.close()

    def stop(self):
        if self.server_socket:
            self.server_socket.close()


def exit_when_parent_goes():
    """Reads stdin to EOF, then ends the process (daemon threads included) at once."""
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


def main(argv):
    port = 0
    log = False
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--port" and args:
            port = int(args.pop(0))
        elif arg == "--log":
            log = True
        else:
            print(f"usage: python_echo.py [--port N] [--log] (got {arg!r})", file=sys.stderr)
            return 2
    threading.Thread(target=exit_when_parent_goes, daemon=True).start()
    EchoServer(port=port, log=log).start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
