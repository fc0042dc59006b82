// Ids of the TCP lesson's sections that its client components link or move the focus to. The lesson's MDX
// writes the same ids (app/lessons/tcp/content.<locale>.mdx; app/lessons/lessons.test.ts checks them).

/** The TCP header diagram's heading; "Show in the header diagram" brings it into view. */
export const HEADER_SECTION_ID = "tcp-header";
