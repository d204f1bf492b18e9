import type { Io } from '../../src/cli/io';
import { StreamedItems, writeBlocks, writeJson } from '../../src/cli/streamed';
import { runRecorded } from '../support/io';

/** What a process writes: each io.out call ends with a newline (as processIo does). */
async function written(write: (io: Io) => void): Promise<{ text: string; calls: number }> {
  let calls = 0;
  const run = await runRecorded(async (io) => {
    write({ ...io, out: (t) => (calls++, io.out(t)) });
    return 0;
  });
  return { text: `${run.stdout}\n`, calls };
}

describe('writeJson: the bytes of JSON.stringify(value, null, 2), written in pieces', () => {
  const cases: Array<[string, unknown]> = [
    ['a plan-like object', { stack: 'dev', products: [{ id: 'a', topics: ['a._public.x'] }, { id: 'b', topics: [] }], resources: [{ kind: 'kafka:Topic', properties: { config: {} } }] }],
    ['empty arrays and objects', { a: [], b: {}, c: [[]], d: [{}] }],
    ['arrays first, last and between scalars', { first: [1, 2], n: 3, last: ['x'] }],
    ['undefined and function members are left out, undefined items are null', { a: undefined, f: () => 1, list: [undefined, null, 1], z: 'end' }],
    ['strings with newlines, quotes and non-ASCII', { text: ['line 1\nline 2', 'say "hi"', 'caf\u00e9 \u{1F600}'] }],
    ['an empty object', {}],
    ['a top-level array', [{ a: 1 }, { b: [2] }]],
    ['a scalar', 'just text'],
    ['null', null],
  ];
  it.each(cases)('%s', async (_name, value) => {
    const { text } = await written((io) => writeJson(io, value));
    expect(text).toBe(`${JSON.stringify(value, null, 2)}\n`);
  });

  it('hands a large array to io.out in several chunks, never as one string', async () => {
    const value = { resources: Array.from({ length: 20_000 }, (_, i) => ({ name: `resource-${i}`, properties: { n: i, padding: 'x'.repeat(100) } })) };
    const { text, calls } = await written((io) => writeJson(io, value));
    expect(text).toBe(`${JSON.stringify(value, null, 2)}\n`);
    expect(calls).toBeGreaterThan(1);
  });

  // A plan's resources a product at a time: the bytes of one array holding every group's items.
  const streamed: Array<[string, unknown[][]]> = [
    ['groups, some empty', [[{ a: 1 }], [], [{ b: [2, { c: 'x\ny' }] }, null], []]],
    ['every group empty', [[], []]],
    ['no group', []],
    ['more items than one block holds', Array.from({ length: 7 }, (_, g) => Array.from({ length: 300 }, (_, i) => ({ g, i, list: [i] })))],
  ];
  it.each(streamed)('StreamedItems: %s', async (_name, groups) => {
    const { text } = await written((io) => writeJson(io, { stack: 'dev', resources: new StreamedItems(groups), after: [] }));
    expect(text).toBe(`${JSON.stringify({ stack: 'dev', resources: groups.flat(), after: [] }, null, 2)}\n`);
    const last = await written((io) => writeJson(io, { resources: new StreamedItems(groups) }));
    expect(last.text).toBe(`${JSON.stringify({ resources: groups.flat() }, null, 2)}\n`);
  });
});

describe('writeBlocks', () => {
  it('writes the blocks as lines, as one text joined by newlines would read', async () => {
    const blocks = ['summary line', '\nproduct a\n  topic x', '\nproduct b'];
    const { text } = await written((io) => writeBlocks(io, blocks));
    expect(text).toBe('summary line\n\nproduct a\n  topic x\n\nproduct b\n');
  });
});
