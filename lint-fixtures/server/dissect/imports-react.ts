// @typescript-eslint/no-restricted-imports: server/dissect is protocol code and may not import React.
import { useMemo } from "react";

export const memo = useMemo;
