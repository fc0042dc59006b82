// Ids of lesson sections that client components link or move focus to. A plain module, not a client one:
// a server component that imports a value from a "use client" file gets a client reference, not the value.

/** The TCP header diagram's heading; "Show in the header diagram" brings it into view. */
export const HEADER_SECTION_ID = "tcp-header";
