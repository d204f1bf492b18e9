import { readFileSync } from 'fs';
import { join } from 'path';
import { decodeMessage, encodeMessage } from '../../src/protocol/codec';
import { ByteReader, MalformedFrameError } from '../../src/protocol/reader';
import { arrayOf, field, message, versionRange } from '../../src/protocol/schema';
import { ByteWriter } from '../../src/protocol/writer';

const schema = message('2+', [
  field('name', 'string', '0+'),
  field('note', 'string', '1+', { nullable: '1+', default: null }),
  arrayOf('ids', 'int32', '0+', { nullable: '2+' }),
  arrayOf('items', [field('key', 'string', '0+'), field('weight', 'int64', '0+')], '0+'),
  field('hint', 'int16', '2+', { tag: 0 }),
  field('id', 'uuid', '2+'),
]);

function encode(version: number, value: object): Buffer {
  const w = new ByteWriter();
  encodeMessage(schema, version, value, w);
  return w.toBuffer();
}

function fixture(name: string): Buffer {
  const text = readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8').replace(/#.*$/gm, '');
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

describe('schema-driven codec', () => {
  it('parses Kafka version notation', () => {
    expect(versionRange('3+')).toEqual({ min: 3, max: Infinity });
    expect(versionRange('1-4')).toEqual({ min: 1, max: 4 });
    expect(versionRange('2')).toEqual({ min: 2, max: 2 });
    expect(versionRange('none')).toEqual({ min: 0, max: -1 });
    expect(() => versionRange('x')).toThrow("invalid version range 'x'");
  });

  it('writes a classic version with int16 strings, int32 arrays and no tagged section', () => {
    const bytes = encode(0, { name: 'a', note: 'skipped in v0', ids: [7], items: [{ key: 'k', weight: 2n }], hint: 5 });
    expect(bytes).toEqual(fixture('codec-v0-classic.hex'));
    expect(decodeMessage(schema, 0, new ByteReader(bytes))).toEqual({ name: 'a', note: null, ids: [7], items: [{ key: 'k', weight: 2n }], hint: 0, id: 'AAAAAAAAAAAAAAAAAAAAAA' });
  });

  it('writes a flexible version with compact forms, per-struct tagged sections and a tagged field', () => {
    const id = Buffer.alloc(16, 1).toString('base64url');
    const value = { name: 'a', note: null, ids: null, items: [{ key: 'k', weight: 2n }], hint: 5, id };
    const bytes = encode(2, value);
    expect(bytes).toEqual(fixture('codec-v2-flexible-tagged.hex'));
    expect(decodeMessage(schema, 2, new ByteReader(bytes))).toEqual(value);
  });

  it('leaves a tagged field at its default out of the tagged section', () => {
    const withDefault = encode(2, { name: 'a', hint: 0 });
    const reader = new ByteReader(withDefault);
    expect(decodeMessage<{ hint: number }>(schema, 2, reader).hint).toBe(0);
    expect(withDefault[withDefault.length - 1]).toBe(0); // empty top-level tagged section
  });

  it('skips tagged fields it does not know, as Kafka requires', () => {
    const bytes = encode(2, { name: 'a' });
    // Replace the empty top-level tag section with one unknown tag (7) carrying two bytes.
    const withUnknown = Buffer.concat([bytes.subarray(0, bytes.length - 1), Buffer.from([1, 7, 2, 0xde, 0xad])]);
    expect(decodeMessage<{ name: string }>(schema, 2, new ByteReader(withUnknown)).name).toBe('a');
  });

  it('refuses null where the version does not allow it', () => {
    expect(() => decodeMessage(schema, 0, new ByteReader(Buffer.from([0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0])))).toThrow(MalformedFrameError);
    expect(() => encode(1, { name: 'a', ids: null })).toThrow('field ids is not nullable in v1');
  });
});
