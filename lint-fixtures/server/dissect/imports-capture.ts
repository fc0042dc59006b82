// @typescript-eslint/no-restricted-imports: server/dissect may not import from server/capture/ by a relative path.
import { createBus } from "../capture/bus";

export const bus = createBus;
