"""The users API's GET /api/users/{id} served the way seed 000 serves it, as the HTTP benchmark's baseline.

http.server's HTTPServer (one request at a time, HTTP/1.0: one connection per request) with a
BaseHTTPRequestHandler that looks the user up in a dict, answers json.dumps of it with the seed's
Content-Type and CORS headers, and logs nothing (the seed prints a line per request; a terminal would
then be what is measured).

    python3 bench/python_users.py <port>      prints "ready <port>" once it listens
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

USERS = {
    1: {"id": 1, "name": "Alice", "email": "alice@example.com", "age": 30},
    2: {"id": 2, "name": "Bob", "email": "bob@example.com", "age": 25},
    3: {"id": 3, "name": "Charlie", "email": "charlie@example.com", "age": 35},
}


class UsersHandler(BaseHTTPRequestHandler):
    def answer(self, status, body):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if not self.path.startswith("/api/users/"):
            return self.answer(404, {"success": False, "error": "Endpoint not found"})
        try:
            user_id = int(self.path.split("/")[-1])
        except ValueError:
            return self.answer(400, {"success": False, "error": "Invalid user ID"})
        if user_id not in USERS:
            return self.answer(404, {"success": False, "error": f"User {user_id} not found"})
        self.answer(200, {"success": True, "data": USERS[user_id]})

    def log_message(self, format, *args):
        pass


def main():
    port = int(sys.argv[1])
    server = HTTPServer(("127.0.0.1", port), UsersHandler)
    print(f"ready {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
