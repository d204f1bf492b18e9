/**
 * The compression codecs kafkajs leaves out (it reads gzip only), so that records producers wrote
 * with snappy, lz4 or zstd can be read (`meshform verify`). Each is a pure JavaScript library, no
 * native build: kafkajs-snappy (the kafkajs project's own codec: snappy with Kafka's xerial
 * framing), lz4js (LZ4 frames, the format Kafka writes) and fzstd (zstd frames; it decompresses
 * only). meshform never writes compressed records; the compress side is there for a program that
 * shares kafkajs with meshform in one process, and zstd's says plainly that it is not supported.
 *
 * kafkajs keeps its codecs in one table for the whole process: a codec someone else registered
 * is left alone; only kafkajs's own "not implemented" placeholders are replaced.
 */
import { decompress as zstdDecompress } from 'fzstd';

const { CompressionCodecs, CompressionTypes } = require('kafkajs') as {
  CompressionCodecs: Record<number, () => Codec>;
  CompressionTypes: Record<'Snappy' | 'LZ4' | 'ZSTD', number>;
};
const snappyCodec = require('kafkajs-snappy') as () => Codec;
const lz4 = require('lz4js') as { compress(data: Uint8Array): Uint8Array; decompress(data: Uint8Array): Uint8Array };

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const lz4Codec = (): Codec => ({
  compress: async (encoder) => Buffer.from(lz4.compress(encoder.buffer)),
  decompress: async (buffer) => Buffer.from(lz4.decompress(buffer)),
});

const zstdCodec = (): Codec => ({
  compress: async () => {
    throw new Error('zstd compression is not supported (meshform reads zstd batches; it does not write them)');
  },
  decompress: async (buffer) => Buffer.from(zstdDecompress(buffer)),
});

/** True when the table still holds kafkajs's placeholder, which throws when asked for the codec. */
function placeholder(type: number): boolean {
  const factory = CompressionCodecs[type];
  if (!factory) return true;
  try {
    factory();
    return false;
  } catch {
    return true;
  }
}

/** The codec whose decompress failures name the codec, so a reader can tell them from a broken connection. */
function naming(name: string, codec: () => Codec): () => Codec {
  return () => {
    const inner = codec();
    return {
      compress: (encoder) => inner.compress(encoder),
      decompress: async (buffer) => {
        try {
          return await inner.decompress(buffer);
        } catch (e) {
          throw new Error(`a ${name} batch could not be decompressed: ${(e as Error).message}`);
        }
      },
    };
  };
}

let registered = false;

/** Puts the three codecs in kafkajs's table (once; codecs registered by others are kept). */
export function registerCodecs(): void {
  if (registered) return;
  registered = true;
  const ours: [number, () => Codec][] = [
    [CompressionTypes.Snappy, naming('snappy', snappyCodec)],
    [CompressionTypes.LZ4, naming('lz4', lz4Codec)],
    [CompressionTypes.ZSTD, naming('zstd', zstdCodec)],
  ];
  for (const [type, codec] of ours) if (placeholder(type)) CompressionCodecs[type] = codec;
}
