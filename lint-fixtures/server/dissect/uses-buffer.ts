// no-restricted-globals: server/dissect may not use Node's Buffer global.
export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
