import createMDX from "@next/mdx";

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Classrooms are often offline: nothing is fetched at run time, no telemetry.
  images: { unoptimized: true },
};

// Lessons are MDX, one file per language, imported by their route (app/lessons/<id>/content.ts); they are
// compiled at build time, with no plugins, so Turbopack can run the loader (its options must be plain data).
const withMDX = createMDX();

export default withMDX(nextConfig);
