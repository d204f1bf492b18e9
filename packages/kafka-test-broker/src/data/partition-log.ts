import { RecordBatch, firstOffsetAtOrAfter, placeBatch } from './record-batch';

/** Fetch results point at stored batches; nothing is copied until the response is written. */
export interface LogSlice {
  batches: Buffer[];
  bytes: number;
}

/**
 * One partition's log: record batches in offset order, kept as bytes. Nothing is ever truncated
 * or compacted, so the log start offset stays 0 and the high watermark is the next offset.
 */
export class PartitionLog {
  private readonly batches: RecordBatch[] = [];
  private nextOffset = 0n;
  private readonly appendListeners = new Set<() => void>();

  get logStartOffset(): bigint {
    return 0n;
  }

  /** Bytes of the stored batches: what Kafka reports as the partition's size (its log segments). */
  get sizeInBytes(): number {
    return this.batches.reduce((sum, b) => sum + b.bytes.length, 0);
  }

  /** Single-replica semantics: everything appended is committed. */
  get highWatermark(): bigint {
    return this.nextOffset;
  }

  /** Appends validated batches and returns the base offset of the first. */
  append(received: Buffer[], leaderEpoch: number): bigint {
    const first = this.nextOffset;
    for (const bytes of received) {
      const batch = placeBatch(bytes, this.nextOffset, leaderEpoch);
      this.batches.push(batch);
      this.nextOffset = batch.lastOffset + 1n;
    }
    for (const listener of [...this.appendListeners]) listener();
    return first;
  }

  /**
   * Whole batches from the one holding `offset` on, while they fit in `maxBytes`; the first batch
   * is returned even when larger (KIP-74), so a consumer always makes progress.
   */
  read(offset: bigint, maxBytes: number): LogSlice {
    const slice: LogSlice = { batches: [], bytes: 0 };
    for (let i = this.indexOfBatchHolding(offset); i < this.batches.length; i++) {
      const bytes = this.batches[i].bytes;
      if (slice.batches.length > 0 && slice.bytes + bytes.length > maxBytes) break;
      slice.batches.push(bytes);
      slice.bytes += bytes.length;
    }
    return slice;
  }

  /** ListOffsets by timestamp: the first offset whose record is at or after it, or null past the end. */
  offsetForTimestamp(timestamp: bigint): bigint | null {
    for (const batch of this.batches) {
      const found = firstOffsetAtOrAfter(batch, timestamp);
      if (found !== null) return found;
    }
    return null;
  }

  /** Calls `listener` after each append until the returned function is called. */
  onAppend(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  private indexOfBatchHolding(offset: bigint): number {
    let low = 0;
    let high = this.batches.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.batches[mid].lastOffset < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
