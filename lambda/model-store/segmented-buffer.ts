/**
 * Bytes that are read as one contiguous object but live in several separate buffers (one per
 * weight tensor), so a weight shard is streamed straight into the tensors' own memory and never
 * held as a second, concatenated copy.
 */
export class SegmentedBuffer {
  readonly byteLength: number;
  private readonly starts: number[] = [];

  constructor(private readonly segments: readonly Uint8Array[]) {
    let offset = 0;
    for (const segment of segments) {
      this.starts.push(offset);
      offset += segment.byteLength;
    }
    this.byteLength = offset;
  }

  /** A buffer of one segment of `byteLength` bytes. */
  static ofLength(byteLength: number): SegmentedBuffer {
    return new SegmentedBuffer([new Uint8Array(byteLength)]);
  }

  /** Copies `chunk` in at `offset`, across segment boundaries as needed. */
  write(offset: number, chunk: Uint8Array): void {
    if (offset < 0 || offset + chunk.byteLength > this.byteLength) {
      throw new RangeError(`write of ${chunk.byteLength} bytes at ${offset} is outside ${this.byteLength}`);
    }
    let done = 0;
    let index = this.segmentAt(offset);
    while (done < chunk.byteLength) {
      const segment = this.segments[index] as Uint8Array;
      const at = offset + done - (this.starts[index] as number);
      const n = Math.min(segment.byteLength - at, chunk.byteLength - done);
      segment.set(chunk.subarray(done, done + n), at);
      done += n;
      index++;
    }
  }

  /** Views (no copies) of bytes `[start, end)`, in order. */
  *views(start: number, end: number): Generator<Uint8Array> {
    let index = this.segmentAt(start);
    let position = start;
    while (position < end && index < this.segments.length) {
      const segment = this.segments[index] as Uint8Array;
      const at = position - (this.starts[index] as number);
      const n = Math.min(segment.byteLength - at, end - position);
      if (n > 0) yield segment.subarray(at, at + n);
      position += n;
      index++;
    }
  }

  /** The whole content as one Buffer: a view when there is one segment, else a copy. */
  toBuffer(): Buffer {
    const only = this.segments.length === 1 ? this.segments[0] : undefined;
    if (only) return Buffer.from(only.buffer, only.byteOffset, only.byteLength);
    return Buffer.concat([...this.views(0, this.byteLength)]);
  }

  private segmentAt(offset: number): number {
    // Binary search for the last segment starting at or before `offset` (skipping empty ones).
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    while (lo < this.segments.length - 1 && (this.segments[lo] as Uint8Array).byteLength === 0) lo++;
    return lo;
  }
}
