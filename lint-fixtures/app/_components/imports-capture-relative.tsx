// @typescript-eslint/no-restricted-imports: app/ may not import from server/capture/ by a relative path ("../../server" from app/_components/).
import { createBus } from "../../server/capture/bus";

export const bus = createBus;
