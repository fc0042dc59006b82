// no-restricted-syntax: app/ may not import the lab host dynamically (no-restricted-imports would not see import()).
export async function loadLab(): Promise<unknown> {
  return import("@/server/lab/lab-service");
}
