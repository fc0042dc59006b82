// Numbers on a benchmark's command line: a value that is not a positive number (or integer) stops the
// benchmark with the reason and its usage, exit code 2.

export function positiveOption(program: string, usage: string): (raw: string, what: string, integer?: boolean) => number {
  return (raw, what, integer = false) => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
      process.stderr.write(`${program}: ${what} must be a positive ${integer ? "integer" : "number"}, got "${raw}"${usage ? `\n\n${usage}` : ""}\n`);
      process.exit(2);
    }
    return n;
  };
}
