// grpc.health.v1.Health (proto/grpc/health/v1/health.proto; grpc/grpc doc/health-checking.md): a status
// for the server as a whole ("") and for each service it serves. Check answers the status now, NOT_FOUND
// for a service it does not know; Watch sends the status now (SERVICE_UNKNOWN for such a service), then
// every change, until the client cancels. Stopping the lab turns everything NOT_SERVING first, so a
// watcher hears it before the GOAWAY.

import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { Health, HealthCheckResponse_ServingStatus as Status, HealthCheckResponseSchema } from "@/gen/grpc/health/v1/health_pb";
import { endedEarly } from "./context";

export { Status as ServingStatus };

export interface HealthState {
  set(service: string, status: Status): void;
  /** Every known service (and "") to one status. */
  setAll(status: Status): void;
  get(service: string): Status | undefined;
  /** Everything NOT_SERVING, and every Watch ends after saying so (the server is stopping). */
  shutdown(): void;
}

export function createHealthState(services: readonly string[]): HealthState & { routes(router: ConnectRouter): void } {
  const statuses = new Map<string, Status>(["", ...services].map((s) => [s, Status.SERVING]));
  const watchers = new Set<() => void>();
  let stopping = false;
  const changed = () => {
    for (const wake of [...watchers]) wake();
  };
  const state: HealthState = {
    set(service, status) {
      statuses.set(service, status);
      changed();
    },
    setAll(status) {
      for (const service of statuses.keys()) statuses.set(service, status);
      changed();
    },
    get: (service) => statuses.get(service),
    shutdown() {
      stopping = true;
      state.setAll(Status.NOT_SERVING);
    },
  };
  return {
    ...state,
    routes(router) {
      router.service(Health, {
        check(req) {
          const status = statuses.get(req.service);
          if (status === undefined) throw new ConnectError(`unknown service ${req.service}`, Code.NotFound);
          return create(HealthCheckResponseSchema, { status });
        },
        async *watch(req, ctx) {
          let last: Status | undefined;
          for (;;) {
            const status = statuses.get(req.service) ?? Status.SERVICE_UNKNOWN;
            if (status !== last) yield create(HealthCheckResponseSchema, { status });
            last = status;
            if (stopping) return;
            // Until the next change, or the end of the call (its deadline, the client's cancel, shutdown).
            await new Promise<void>((resolve, reject) => {
              const done = () => {
                watchers.delete(done);
                ctx.signal.removeEventListener("abort", done);
                if (ctx.signal.aborted) reject(endedEarly(ctx));
                else resolve();
              };
              watchers.add(done);
              ctx.signal.addEventListener("abort", done, { once: true });
              if (ctx.signal.aborted) done();
            });
          }
        },
      });
    },
  };
}
