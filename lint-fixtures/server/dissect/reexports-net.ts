// no-restricted-imports: server/dissect may not re-export from a Node builtin (net).
export { isIP } from "net";
