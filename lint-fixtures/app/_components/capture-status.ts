// @typescript-eslint/no-restricted-imports: the one type-only exception for capture-status.ts lets no value through from the host's capture module.
import { captureOffReason } from "@/server/capture/wire";

export const reason = captureOffReason;
