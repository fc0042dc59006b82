// no-restricted-imports: a dissector may not import a testdata helper, which reads files with node:fs.
import { loadPacketFixtures } from "./testdata/fixtures";

export const fixtures = loadPacketFixtures;
