// @typescript-eslint/no-restricted-imports: tests in server/dissect may use Node, but not the other server folders.
import { createLabService } from "../lab/lab-service";

export const lab = createLabService;
