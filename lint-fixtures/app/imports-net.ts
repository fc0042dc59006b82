// no-restricted-imports: app/ runs in the browser and may not import a bare Node builtin (net).
import { isIP } from "net";

export const ip = isIP;
