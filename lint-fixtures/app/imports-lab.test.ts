// @typescript-eslint/no-restricted-imports: tests in app/ may use Node, but not the lab host's modules.
import { createLabService } from "@/server/lab/lab-service";

export const lab = createLabService;
