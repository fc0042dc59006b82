// @typescript-eslint/no-restricted-imports: server/dissect is protocol code and may not import Next.js.
import Link from "next/link";

export const link = Link;
