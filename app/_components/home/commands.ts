// Commands a student can paste into a terminal to reach the lab's TCP servers with their own client:
// nc and short Python programs using the socket module, with the host and ports the lab really uses.
// Behaviour of the servers: seed 000 (echo on 8888), seeds 002 and 003 (greeting on 8007, time on 8000).

import type { LabStatusResult } from "../lab-status";
import { servicePort, type LabServiceName } from "../service-port";

/** The seed's greeting client sends this; 14 characters, 26 bytes in UTF-8. */
export const GREETING_MESSAGE = "Привет, сервер";

export type TcpServiceName = "tcp-echo" | "time" | "greeting";

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

// A server bound to every interface reports a wildcard address; the student reaches it by the name
// they typed in the browser's address bar.
const WILDCARDS = new Set(["", "0.0.0.0", "::", "[::]"]);
// Only plain host names and IP literals go into a command the student will paste into a shell.
const SAFE_HOST = /^[A-Za-z0-9.:%_-]+$/;
export const FALLBACK_HOST = "127.0.0.1";

/** The host to put in a command: the service's own, or the page's for a wildcard; a safe fallback otherwise. */
export function cleanHost(host: string, pageHost: string): string {
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  const chosen = WILDCARDS.has(bare) ? pageHost.replace(/^\[(.*)\]$/, "$1") : bare;
  return SAFE_HOST.test(chosen) ? chosen : FALLBACK_HOST;
}

/** Where a service listens: from the host's Status when it answered, else the default port at the page's host. */
export function endpointOf(result: LabStatusResult, pageHost: string, service: LabServiceName): Endpoint {
  const port = servicePort(result, service);
  if (result.kind === "ok") {
    const found = result.status.services.find((s) => s.name === service);
    return { host: cleanHost(found?.host || result.status.host, pageHost), port };
  }
  return { host: cleanHost(pageHost || FALLBACK_HOST, FALLBACK_HOST), port };
}

/** The Python address family for a host. */
export function family(host: string): string {
  return host.includes(":") ? "socket.AF_INET6" : "socket.AF_INET";
}

/** A POSIX shell word that stands for `text` exactly: single quotes, each ' written as '\'' (newlines kept as they are). */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A Python string literal; JSON's escaping is valid Python for the strings used here. */
export function py(text: string): string {
  return JSON.stringify(text);
}

export function ncCommand({ host, port }: Endpoint): string {
  return `nc ${host} ${port}`;
}

/**
 * nc for a server that only talks: -d reads nothing from the terminal, so nc exits as soon as the server
 * closes. Without it Debian's netcat-openbsd (and the BSD nc of macOS) keeps reading the keyboard after the
 * server has gone, and seems to hang until Ctrl+D.
 */
export function ncListenCommand({ host, port }: Endpoint): string {
  return `nc -d ${host} ${port}`;
}

/** nc with the message on stdin, without a newline, as the greeting server's own client sends it. */
export function ncGreetingCommand({ host, port }: Endpoint, message: string): string {
  return `printf '%s' ${shellQuote(message)} | nc ${host} ${port}`;
}

export function pythonTime({ host, port }: Endpoint): string {
  return [
    "import socket",
    "",
    `with socket.socket(${family(host)}, socket.SOCK_STREAM) as sock:`,
    `    sock.connect((${py(host)}, ${port}))`,
    "    data = sock.recv(1024)",
    '    print(repr(data.decode("utf-8")))',
  ].join("\n");
}

export function pythonGreeting({ host, port }: Endpoint, message: string): string {
  return [
    "import socket",
    "",
    `with socket.socket(${family(host)}, socket.SOCK_STREAM) as sock:`,
    `    sock.connect((${py(host)}, ${port}))`,
    `    sock.sendall(${py(message)}.encode("utf-8"))`,
    "    answer = sock.recv(1024)",
    '    print(answer.decode("utf-8"), len(answer), "bytes")',
  ].join("\n");
}

export function pythonEcho({ host, port }: Endpoint): string {
  return [
    "import socket",
    "",
    `with socket.socket(${family(host)}, socket.SOCK_STREAM) as sock:`,
    `    sock.connect((${py(host)}, ${port}))`,
    '    print(sock.recv(1024).decode("utf-8"))',
    '    sock.sendall("hello".encode("utf-8"))',
    '    print(sock.recv(1024).decode("utf-8"))',
    '    sock.sendall(b"exit")',
    "    while data := sock.recv(1024):",
    '        print(data.decode("utf-8"))',
  ].join("\n");
}
