// @typescript-eslint/no-restricted-imports: server/dissect may not import from server/lab/ by the @/ alias.
import { createLabService } from "@/server/lab/lab-service";

export const lab = createLabService;
