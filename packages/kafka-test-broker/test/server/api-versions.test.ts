import { connect } from 'net';
import { startTestBroker, TestBroker } from '../../src';
import { APIS } from '../../src/apis';
import { ByteReader } from '../../src/protocol/reader';
import { ByteWriter } from '../../src/protocol/writer';
import { WireClient } from '../wire-client';

/** The versions each independent client needs (kafkajs 2.2.4 folders, kafka-python 2.0.2 lists, librdkafka 2.0.2 ApiVersions v3). */
const NEEDED: Record<string, number[]> = {
  ApiVersions: [0, 1, 2, 3],
  Metadata: [0, 1, 2, 3, 4, 5, 6],
  CreateTopics: [0, 1, 2, 3],
  DeleteTopics: [0, 1, 2, 3],
  CreatePartitions: [0, 1],
  DescribeConfigs: [0, 1, 2],
  AlterConfigs: [0, 1],
  CreateAcls: [0, 1],
  DescribeAcls: [0, 1, 2],
  DeleteAcls: [0, 1],
  SaslHandshake: [0, 1],
  SaslAuthenticate: [0, 1],
};

describe('ApiVersions', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await startTestBroker();
  });

  afterAll(async () => {
    await broker.stop();
  });

  it('advertises exactly the implemented ranges, in every version including flexible v3', async () => {
    const expected = APIS.map((a) => ({ apiKey: a.apiKey, minVersion: a.versions.min, maxVersion: a.versions.max })).sort((a, b) => a.apiKey - b.apiKey);
    const wire = await WireClient.open(broker.bootstrap);
    for (const version of [0, 1, 2, 3]) {
      const res = await wire.request<{ errorCode: number; apiKeys: unknown[] }>(18, version, { clientSoftwareName: 'wire', clientSoftwareVersion: '1' });
      expect(res.errorCode).toBe(0);
      expect(res.apiKeys).toEqual(expected);
    }
    wire.close();
  });

  it.each(Object.entries(NEEDED))('covers what the tested clients use for %s', (name, versions) => {
    const api = APIS.find((a) => a.name === name);
    expect(api).toBeDefined();
    for (const v of versions) expect(v >= (api?.versions.min ?? 99) && v <= (api?.versions.max ?? -1)).toBe(true);
  });

  it('answers an unknown ApiVersions version in v0 with UNSUPPORTED_VERSION (35) and its own range, as Kafka does', async () => {
    // Header v2 as a future client would send it; the answer must be readable as v0.
    const request = new ByteWriter().int16(18).int16(99).int32(7).nullableString('future').uvarint(0).uvarint(0).toBuffer();
    const wire = await WireClient.open(broker.bootstrap);
    const reader = new ByteReader(await wire.exchange(request));
    wire.close();
    expect(reader.int32()).toBe(7);
    expect(reader.int16()).toBe(35);
    const count = reader.int32();
    const keys = Array.from({ length: count }, () => ({ apiKey: reader.int16(), minVersion: reader.int16(), maxVersion: reader.int16() }));
    expect(keys).toEqual([{ apiKey: 18, minVersion: 0, maxVersion: 3 }]);
    expect(reader.remaining).toBe(0);
  });

  it('closes the connection on an unknown API key, an unsupported version or a malformed frame', async () => {
    for (const frame of [
      new ByteWriter().int16(999).int16(0).int32(1).nullableString('x').toBuffer(),
      new ByteWriter().int16(3).int16(13).int32(1).nullableString('x').toBuffer(),
      new ByteWriter().int16(3).int16(1).int32(1).nullableString('x').int32(5).toBuffer(),
    ]) {
      const wire = await WireClient.open(broker.bootstrap);
      await expect(wire.exchange(frame)).rejects.toThrow('connection closed');
    }
  });

  it('closes the connection on a negative frame size', async () => {
    const [host, port] = broker.bootstrap.split(':');
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(port), host, () => socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff])));
      socket.on('close', () => resolve(true));
      socket.on('error', () => undefined);
    });
    expect(closed).toBe(true);
  });
});
