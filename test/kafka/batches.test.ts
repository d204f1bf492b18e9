import { splitBatches } from '../../src/adapters/kafka/engine/batches';

describe('splitBatches', () => {
  const unit = () => ({ bytes: 100, records: 4 });

  it('keeps everything in one batch while it fits', () => {
    expect(splitBatches(Array.from({ length: 2500 }, (_, i) => i), unit)).toHaveLength(1);
  });

  it('splits on the record bound and on the byte bound, preserving order', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    expect(splitBatches(items, unit, { maxBytes: 1e9, maxRecords: 12 })).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect(splitBatches(items, unit, { maxBytes: 500, maxRecords: 1e9 })).toEqual([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]);
  });

  it('sends an item larger than a batch on its own rather than dropping it', () => {
    expect(splitBatches([1, 2], () => ({ bytes: 10, records: 50 }), { maxBytes: 5, maxRecords: 5 })).toEqual([[1], [2]]);
  });
});
