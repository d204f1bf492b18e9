/**
 * Splits a batch only where size demands: a request stays under `maxBytes` of encoded payload and
 * under `maxRecords` controller records (a KRaft controller bounds the records one user operation
 * may write; a topic costs 1 + partitions + configs records, an ACL one).
 */
export interface BatchLimits {
  maxBytes: number;
  maxRecords: number;
}

export const DEFAULT_LIMITS: BatchLimits = { maxBytes: 1024 * 1024, maxRecords: 10000 };

export interface Weight {
  bytes: number;
  records: number;
}

export function splitBatches<T>(items: readonly T[], weigh: (item: T) => Weight, limits: BatchLimits = DEFAULT_LIMITS): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  let records = 0;
  for (const item of items) {
    const w = weigh(item);
    if (current.length > 0 && (bytes + w.bytes > limits.maxBytes || records + w.records > limits.maxRecords)) {
      batches.push(current);
      current = [];
      bytes = 0;
      records = 0;
    }
    current.push(item);
    bytes += w.bytes;
    records += w.records;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Encoded size of a string on the wire (int16 length + UTF-8 bytes). */
export function stringBytes(value: string): number {
  return 2 + Buffer.byteLength(value, 'utf8');
}
