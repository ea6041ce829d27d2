/**
 * Captures what is written to `process.stdout` while `work` runs (Powertools writes EMF metrics
 * and structured logs there, one JSON document a line) and returns the JSON lines, parsed.
 */
export async function captureJsonLines<T>(work: () => Promise<T>): Promise<{ value: T; lines: unknown[] }> {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  try {
    const value = await work();
    const lines = written
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as unknown);
    return { value, lines };
  } finally {
    spy.mockRestore();
  }
}

/** An EMF document as Powertools Metrics writes it. */
export interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

/** The EMF documents among captured lines. */
export function emfDocuments(lines: readonly unknown[]): EmfDocument[] {
  return lines.filter((l): l is EmfDocument => typeof l === 'object' && l !== null && '_aws' in l);
}
