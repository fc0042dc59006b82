// @typescript-eslint/no-restricted-imports: app/ may not import from server/store/ by a relative path ("../../../server" from app/lessons/tcp/).
import { openStore } from "../../../server/store/store";

export const store = openStore;
