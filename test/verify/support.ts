/** Records encoded by libraries meshform does not use, framed as Confluent's serializers frame them. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SYSTEM_PYTHON } from '@meshform/peers/testing/clients/python-kafka';

const ENCODER = join(__dirname, 'python', 'encode.py');

/** Why the Python encoders cannot run here (Debian's python3-avro, python3-protobuf), or null. */
export function pythonEncodersMissing(): string | null {
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import avro.io, google.protobuf'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) return `${SYSTEM_PYTHON} cannot run (${probe.error.message})`;
  return probe.status === 0 ? null : `${SYSTEM_PYTHON} lacks Apache Avro or protobuf (apt-get install python3-avro python3-protobuf)`;
}

export type EncodeJob =
  | { op: 'avro'; schema: unknown; datum: unknown }
  | { op: 'protobuf'; package: string; message: string; fields: Array<{ name: string; number: number; type: string }>; values: Record<string, unknown> };

/** Each job's bytes, from Apache Avro's Python library or Google's protobuf runtime. */
export function encode(jobs: EncodeJob[]): Buffer[] {
  const run = spawnSync(SYSTEM_PYTHON, [ENCODER], { input: jobs.map((j) => JSON.stringify(j)).join('\n') + '\n', encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) throw new Error(`encode.py exited ${run.status}: ${run.stderr}`);
  return run.stdout.trim().split('\n').map((line, i) => {
    const answer = JSON.parse(line) as { hex?: string; error?: string };
    if (answer.error !== undefined) throw new Error(`encode.py job ${i}: ${answer.error}`);
    return Buffer.from(answer.hex!, 'hex');
  });
}

/** Confluent's wire format, written from its published description: byte 0, the id as 4 bytes big-endian, (Protobuf: message indexes), the data. */
export function framed(id: number, data: Buffer, protobufIndexes?: number[]): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(id, 1);
  if (!protobufIndexes) return Buffer.concat([header, data]);
  // [0] is written as the single byte 0 (a count of zero); otherwise a zigzag count, then each index zigzagged.
  const zigzag = (n: number) => Buffer.from([(n << 1) ^ (n >> 31)]);
  const indexes = protobufIndexes.length === 1 && protobufIndexes[0] === 0 ? [Buffer.from([0])] : [zigzag(protobufIndexes.length), ...protobufIndexes.map(zigzag)];
  return Buffer.concat([header, ...indexes, data]);
}

/** A spec of product `urn` (owned by alice) that sends to every channel it declares (`channels`: YAML lines, `names`: their ids). */
export function sendingSpec(urn: string, title: string, channels: readonly string[], names: readonly string[]): string {
  return [
    'asyncapi: 3.0.0',
    `id: ${urn}`,
    `info: {title: ${title}, version: 1.0.0}`,
    'x-meshform: {owners: [user:alice@acme.com]}',
    'channels:',
    ...channels,
    'operations:',
    ...names.map((n) => `  send_${n}: {action: send, channel: {$ref: '#/channels/${n}'}}`),
    '',
  ].join('\n');
}
