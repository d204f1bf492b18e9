/**
 * The codecs meshform adds to kafkajs's table: frames written by the zstd and lz4 command-line
 * tools (Debian's, not ours) decompress to the bytes they were given, a broken frame is named by
 * its codec, and a codec someone else registered in the process is kept.
 */
import { spawnSync } from 'node:child_process';

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}
type Kafkajs = { CompressionCodecs: Record<number, () => Codec>; CompressionTypes: Record<string, number> };

const tool = (name: string) => (spawnSync('which', [name]).status === 0 ? null : `${name} is not installed (Debian package ${name})`);
const missing = [tool('zstd'), tool('lz4')].filter((m): m is string => m !== null);
const TEXT = Buffer.from('{"orderId": "o-1"}\n'.repeat(200));

function fresh(): { kafkajs: Kafkajs; register: () => void } {
  let loaded!: { kafkajs: Kafkajs; register: () => void };
  jest.isolateModules(() => {
    const kafkajs = require('kafkajs') as Kafkajs;
    const { registerCodecs } = require('../../src/adapters/kafka/client/codecs') as { registerCodecs: () => void };
    loaded = { kafkajs, register: registerCodecs };
  });
  return loaded;
}

(missing.length ? describe.skip : describe)(`kafkajs codecs${missing.length ? ` (skipped: ${missing.join('; ')})` : ''}`, () => {
  it('decompresses zstd and lz4 frames written by the zstd and lz4 tools', async () => {
    const { kafkajs, register } = fresh();
    register();
    const { CompressionCodecs: codecs, CompressionTypes: types } = kafkajs;
    for (const [name, type] of [['zstd', types.ZSTD], ['lz4', types.LZ4]] as const) {
      const frame = spawnSync(name, ['-c', '-q'], { input: TEXT });
      expect(frame.status).toBe(0);
      expect(frame.stdout.length).toBeLessThan(TEXT.length);
      expect((await codecs[type]().decompress(frame.stdout)).equals(TEXT)).toBe(true);
    }
  });

  it('names the codec of a batch it cannot decompress', async () => {
    const { kafkajs, register } = fresh();
    register();
    const { CompressionCodecs: codecs, CompressionTypes: types } = kafkajs;
    await expect(codecs[types.LZ4]().decompress(Buffer.from('not lz4'))).rejects.toThrow(/^a lz4 batch could not be decompressed: /);
    await expect(codecs[types.ZSTD]().decompress(Buffer.from('not zstd'))).rejects.toThrow(/^a zstd batch could not be decompressed: /);
    await expect(codecs[types.Snappy]().decompress(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]))).rejects.toThrow(/^a snappy batch could not be decompressed: /);
    await expect(codecs[types.ZSTD]().compress({ buffer: TEXT })).rejects.toThrow('zstd compression is not supported');
  });

  it("keeps a codec another part of the process registered, and fills only kafkajs's placeholders", async () => {
    const { kafkajs, register } = fresh();
    const theirs: () => Codec = () => ({ compress: async () => Buffer.from('theirs'), decompress: async () => Buffer.from('theirs') });
    kafkajs.CompressionCodecs[kafkajs.CompressionTypes.LZ4] = theirs;
    expect(() => kafkajs.CompressionCodecs[kafkajs.CompressionTypes.ZSTD]()).toThrow('ZSTD compression not implemented');
    register();
    expect(kafkajs.CompressionCodecs[kafkajs.CompressionTypes.LZ4]).toBe(theirs);
    const frame = spawnSync('zstd', ['-c', '-q'], { input: TEXT });
    expect((await kafkajs.CompressionCodecs[kafkajs.CompressionTypes.ZSTD]().decompress(frame.stdout)).equals(TEXT)).toBe(true);
  });
});
