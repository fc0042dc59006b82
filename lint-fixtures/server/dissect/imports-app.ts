// @typescript-eslint/no-restricted-imports: server/dissect may not import from app/.
import { formatBytes } from "@/app/_i18n/format";

export const format = formatBytes;
