// `npm run build`: builds the web app unless the last build matches the sources (same check as `npm start`).

import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureWebBuild } from "./web-build";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
if (!ensureWebBuild(root, (line) => process.stdout.write(`${line}\n`))) process.exit(1);
