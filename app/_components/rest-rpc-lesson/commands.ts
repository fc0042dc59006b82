// Commands a student can paste into a terminal for the REST and RPC lesson: curl against the course's users API
// (seed 000) and the workshop's dummies, written as the workshop's README writes them (seed 004), a JSON-RPC batch
// with curl, and Python: xmlrpc.client's ServerProxy (seed 004's XML-RPC client) and requests for JSON-RPC. At the
// host and port the lab reports; quoted with the home page's helpers.

import { py, shellQuote, type Endpoint } from "../home/commands";
import { baseUrl } from "../http-composer/model";

const at = (endpoint: Endpoint, path: string) => `${baseUrl(endpoint)}${path}`;
const JSON_TYPE = shellQuote("Content-Type: application/json");

export function curlUsers(endpoint: Endpoint): string {
  return [
    `curl -i ${shellQuote(at(endpoint, "/api/users/1"))}`,
    `curl -i -X POST ${shellQuote(at(endpoint, "/api/users"))} \\\n  -H ${JSON_TYPE} \\\n  -d ${shellQuote('{"name": "David", "email": "david@example.com", "age": 28}')}`,
  ].join("\n");
}

export function curlDummies(endpoint: Endpoint): string {
  const form = ["day=\"1\"", "weekday=\"Monday\"", "month=\"January\"", "year=\"1984\""].map((f) => `  --form ${shellQuote(f)}`);
  return [`curl -s ${shellQuote(at(endpoint, "/api/rest/dummies?id=1&id=2&id=3"))}`, [`curl -s -X POST ${shellQuote(at(endpoint, "/api/rest/dummie"))}`, ...form].join(" \\\n")].join("\n");
}

export function curlJsonRpcBatch(endpoint: Endpoint): string {
  const batch = '[{"jsonrpc": "2.0", "method": "add", "params": [2, 3], "id": 1}, {"jsonrpc": "2.0", "method": "upper", "params": ["hello"], "id": 2}]';
  return `curl -s ${shellQuote(at(endpoint, "/api/rpc/json"))} \\\n  -H ${JSON_TYPE} \\\n  -d ${shellQuote(batch)}`;
}

export function pythonXmlRpc(endpoint: Endpoint): string {
  return [
    "from xmlrpc.client import ServerProxy",
    "",
    `proxy = ServerProxy(${py(at(endpoint, "/api/rpc/xml"))})`,
    'print(proxy.add(2, 3), proxy.upper("hello"), proxy.reverse("stressed"))',
    'print(proxy.swap({"key": "value"}))',
  ].join("\n");
}

export function pythonJsonRpc(endpoint: Endpoint): string {
  return [
    "import requests",
    "",
    'call = {"jsonrpc": "2.0", "method": "add", "params": [2, 3], "id": 1}',
    `answer = requests.post(${py(at(endpoint, "/api/rpc/json"))}, json=call)`,
    "print(answer.status_code, answer.json())",
  ].join("\n");
}
