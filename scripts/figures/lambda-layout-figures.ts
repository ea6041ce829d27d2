import type { FiguresInput } from './figures-file';

/** One predict run of `npm run check:lambda`: a fresh process on the zips. */
export interface LayoutTiming {
  /** What ran, e.g. `cpu` or `wasm` (the backend) or `dense`. */
  readonly run: string;
  readonly events: number;
  /** Requiring `index.js` with the layer on `NODE_PATH` (the function's init). */
  readonly loadMs: number;
  /** The first event's reply, which waits for the model load begun at init. */
  readonly firstReplyMs: number | undefined;
}

const ms = (x: number | undefined) => (x === undefined ? null : Math.round(x));

/**
 * `npm run check:lambda`'s figures (`lambda-layout`): what the cold process cost per run, on the
 * Node the zips ran on, and how long the whole check took. Rendered in docs/deploying.md.
 */
export function lambdaLayoutFigures(input: {
  /** `node --version` of the binary that ran the zips (Lambda's major version). */
  readonly zipNode: string;
  readonly timings: readonly LayoutTiming[];
  readonly checkSeconds: number;
  readonly loadAverage: readonly number[];
}): FiguresInput {
  return {
    command: 'npm run check:lambda',
    figures: {
      zip_node: input.zipNode,
      check_seconds: input.checkSeconds,
      load_average: input.loadAverage,
      predict: input.timings.map((t) => ({
        run: t.run,
        events: t.events,
        load_ms: t.loadMs,
        first_reply_ms: t.firstReplyMs ?? null,
      })),
    },
    tables: [
      {
        id: 'cold-process',
        columns: ['predict, from the zips', 'events', 'loading the handler, ms', 'first reply, ms'],
        rows: input.timings.map((t) => [t.run, t.events, ms(t.loadMs), ms(t.firstReplyMs)]),
      },
    ],
    notes: [
      `The zips ran on node ${input.zipNode} (the stamp's Node is the one that ran the check). One run each, in a fresh process; the whole check took ${input.checkSeconds.toFixed(1)} s. Load average (1, 5, 15 min) at the end: ${input.loadAverage.map((l) => l.toFixed(2)).join(', ')}; on a busy machine these times are upper bounds.`,
    ],
  };
}
