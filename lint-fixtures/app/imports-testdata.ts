// no-restricted-imports: app/ code outside tests may not import a testdata helper, which reads files with node:fs.
import { loadPacketFixtures } from "@/server/dissect/testdata/fixtures";

export const fixtures = loadPacketFixtures;
