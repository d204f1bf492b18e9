import { readFileSync } from 'fs';
import { join } from 'path';
import { APIS } from '../../src/apis';
import { decodeMessage, encodeMessage, isFlexible } from '../../src/protocol/codec';
import { readRequestHeader, skipHeaderTags } from '../../src/protocol/header';
import { ByteReader } from '../../src/protocol/reader';
import { Field, MessageSchema, inRange } from '../../src/protocol/schema';
import { ByteWriter } from '../../src/protocol/writer';

function fixture(name: string): Buffer {
  const text = readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8').replace(/#.*$/gm, '');
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

/** A value with every field set to something other than its default, so that nothing round-trips by accident. */
function sample(fields: Field[], version: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (!inRange(f.versions, version)) continue;
    const one = (): unknown => {
      if (Array.isArray(f.type)) return sample(f.type, version);
      switch (f.type) {
        case 'bool':
          return true;
        case 'int64':
          return 1234567890123n;
        case 'string':
          return `${f.name}-value`;
        case 'bytes':
        case 'records':
          return Buffer.from([1, 2, 3]);
        case 'uuid':
          return Buffer.alloc(16, 7).toString('base64url');
        case 'float64':
          return 0.25;
        default:
          return 7;
      }
    };
    out[f.name] = f.array ? [one(), one()] : one();
  }
  return out;
}

function roundTrip(schema: MessageSchema, version: number, value: object): unknown {
  const w = new ByteWriter();
  encodeMessage(schema, version, value, w);
  const reader = new ByteReader(w.toBuffer());
  const decoded = decodeMessage<Record<string, unknown>>(schema, version, reader);
  expect(reader.remaining).toBe(0);
  return decoded;
}

/** Only the fields a version carries, recursively: what a decode of that version can give back. */
function project(value: Record<string, unknown>, fields: Field[], version: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (!inRange(f.versions, version)) continue;
    const v = value[f.name];
    if (Array.isArray(f.type)) {
      const sub = f.type;
      out[f.name] = f.array ? (v as Array<Record<string, unknown>>).map((x) => project(x, sub, version)) : project(v as Record<string, unknown>, sub, version);
    } else out[f.name] = v;
  }
  return out;
}

const everyVersion = APIS.flatMap((api) =>
  Array.from({ length: api.versions.max - api.versions.min + 1 }, (_, i) => ({ name: api.name, version: api.versions.min + i, api })),
);

describe('every served version of every API', () => {
  it.each(everyVersion.map((c) => [c.name, c.version, c.api] as const))('%s v%i: request and response round-trip with every field set', (_name, version, api) => {
    for (const schema of [api.request, api.response]) {
      const value = sample(schema.fields, version);
      const decoded = roundTrip(schema, version, value) as Record<string, unknown>;
      expect(project(decoded, schema.fields, version)).toEqual(value);
    }
  });
});

describe('captured client bytes', () => {
  it('decodes the ApiVersions v3 request librdkafka 2.0.2 opens with (flexible, header v2)', () => {
    const reader = new ByteReader(fixture('api-versions-v3-request-librdkafka.hex'));
    const header = readRequestHeader(reader);
    expect(header).toEqual({ apiKey: 18, apiVersion: 3, correlationId: 1, clientId: 'rdkafka' });
    const api = APIS.find((a) => a.apiKey === header.apiKey);
    if (!api) throw new Error('ApiVersions not served');
    expect(isFlexible(api.request, header.apiVersion)).toBe(true);
    skipHeaderTags(reader);
    expect(decodeMessage(api.request, header.apiVersion, reader)).toEqual({ clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' });
    expect(reader.remaining).toBe(0);
  });
});
