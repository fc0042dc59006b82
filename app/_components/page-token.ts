// Where a page's session token travels (server/lab/host.ts hands it to the renderer, app/layout.tsx
// renders it, lab-client.ts sends it). Not a client module: the root layout imports it on the server.

/** The request header the host gives the renderer the token in, and the header API calls carry it back in. */
export const PAGE_TOKEN_HEADER = "x-lab-page";
/** The meta element the root layout renders the token into. */
export const PAGE_TOKEN_META = "lab-page";
