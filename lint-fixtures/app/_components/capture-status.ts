// @typescript-eslint/no-restricted-imports: the page reads capture status from the generated Status message; not even a type comes from the host's capture module.
import type { CaptureMode } from "@/server/capture/wire";

export type Mode = CaptureMode;
