// @typescript-eslint/no-restricted-imports: app/ may not import from server/lab/ by a bare repo path.
import { createLabService } from "server/lab/lab-service";

export const lab = createLabService;
