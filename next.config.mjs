/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Classrooms are often offline: nothing is fetched at run time, no telemetry.
  images: { unoptimized: true },
};

export default nextConfig;
