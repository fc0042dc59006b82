// What a Chromium trace's renderer main thread spent its time on: the self time of each task kind (script, style,
// layout, paint, garbage collection...), with nested events subtracted from their parents, as DevTools' "Bottom-up"
// by activity does. Used by bench/browser-timeline.ts --profile on a trace of the jump scroll.

/** A trace event as Chromium writes it (the Trace Event Format); only complete ("X") events are timed. */
export interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  /** Microseconds. */
  readonly ts: number;
  readonly dur?: number;
  readonly args?: { readonly name?: string };
}

/** The renderer's main thread: the thread named CrRendererMain with the most timed events (the page's, not an idle one). */
export function mainThread(events: readonly TraceEvent[]): { pid: number; tid: number } | null {
  const named = events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain");
  let best: { pid: number; tid: number } | null = null;
  let most = 0;
  for (const thread of named) {
    const n = events.filter((e) => e.ph === "X" && e.pid === thread.pid && e.tid === thread.tid).length;
    if (n > most) {
      most = n;
      best = { pid: thread.pid, tid: thread.tid };
    }
  }
  return best;
}

/**
 * Self time (ms) per event name on one thread: each complete event's duration minus the durations of the events
 * nested directly in it. Events that only overlap (not nested) are clipped to their parent's end.
 */
export function selfTimeByName(events: readonly TraceEvent[], thread: { pid: number; tid: number }): Map<string, number> {
  const timed = events
    .filter((e) => e.ph === "X" && e.pid === thread.pid && e.tid === thread.tid && (e.dur ?? 0) > 0)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const stack: { name: string; end: number; child: number; dur: number }[] = [];
  const close = (until: number) => {
    while (stack.length > 0 && (stack[stack.length - 1] as (typeof stack)[number]).end <= until) {
      const done = stack.pop() as (typeof stack)[number];
      self.set(done.name, (self.get(done.name) ?? 0) + Math.max(0, done.dur - done.child) / 1000);
    }
  };
  for (const event of timed) {
    close(event.ts);
    const parent = stack[stack.length - 1];
    const end = Math.min(event.ts + (event.dur ?? 0), parent ? parent.end : Infinity);
    const dur = end - event.ts;
    if (parent) parent.child += dur;
    stack.push({ name: event.name, end, child: 0, dur });
  }
  close(Infinity);
  return self;
}

/** The task kinds DevTools groups names into. */
const KINDS: Record<string, string> = {
  FunctionCall: "script",
  EvaluateScript: "script",
  "v8.compile": "script",
  "V8.Execute": "script",
  TimerFire: "script",
  FireAnimationFrame: "script",
  EventDispatch: "script",
  RunMicrotasks: "script",
  "v8.run": "script",
  UpdateLayoutTree: "style",
  RecalculateStyles: "style",
  ParseAuthorStyleSheet: "style",
  Layout: "layout",
  PrePaint: "paint",
  Paint: "paint",
  PaintImage: "paint",
  Layerize: "paint",
  UpdateLayer: "paint",
  UpdateLayerTree: "paint",
  CompositeLayers: "paint",
  Commit: "paint",
  MinorGC: "gc",
  MajorGC: "gc",
  "V8.GCScavenger": "gc",
  "V8.GCFinalizeMC": "gc",
  "V8.GC_MC_BACKGROUND_MARKING": "gc",
  BlinkGC: "gc",
  ScheduleStyleRecalculation: "style",
  HitTest: "layout",
  ScrollLayer: "layout",
};

/** Self time (ms) per kind: script, style, layout, paint, gc, and "other" (the scheduler's own tasks and the rest). */
export function selfTimeByKind(byName: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, ms] of byName) {
    const kind = KINDS[name] ?? (name.startsWith("V8.GC") || name.includes("GC") ? "gc" : "other");
    out.set(kind, (out.get(kind) ?? 0) + ms);
  }
  return out;
}
