/**
 * The contract meshform's Kafka wire client (src/adapters/kafka/client/) holds with kafkajs's
 * internals (`kafkajs/src/*`, not its public API): the deep modules exist and export what meshform
 * calls, and fixed requests encode to the bytes Kafka's protocol guide gives
 * (https://kafka.apache.org/protocol, "The Messages" and "Common Request and Response Structure"),
 * written here by hand. When a kafkajs upgrade changes shape, this fails with a message that
 * names the module and the meshform file that uses it, before any suite against a broker does.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { incrementalAlterConfigsRequest } from '../../src/adapters/kafka/client/incremental-alter-configs';
import { errorName } from '../../src/adapters/kafka/client/protocol';
import { Writer } from '../../src/adapters/kafka/client/requests/codec';
import { toWireAcl } from '../../src/adapters/kafka/client/wire';

const ROOT = join(__dirname, '..', '..');
const CLIENT_DIR = 'src/adapters/kafka/client';
const PINNED = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies.kafkajs as string;
const INSTALLED = (require('kafkajs/package.json') as { version: string }).version;
const CHANGED = `kafkajs ${INSTALLED} is installed and meshform pins ${PINNED}: the deep requires in ${CLIENT_DIR}/ are written against ${PINNED}`;

type Check = (module: any) => string | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any

const isFunction = (m: unknown, what: string) => (typeof m === 'function' ? undefined : `${what} is ${typeof m}, not a function`);
const hasFunctions = (m: Record<string, unknown> | undefined, names: string[], what: string) =>
  names.map((n) => isFunction(m?.[n], `${what}.${n}`)).find((p) => p !== undefined);

/** API keys meshform sends through kafkajs's request table, with their numbers from Kafka's protocol guide. */
const API_KEYS: Record<string, number> = {
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  CreateTopics: 19,
  DeleteTopics: 20,
  DescribeAcls: 29,
  CreateAcls: 30,
  DeleteAcls: 31,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  CreatePartitions: 37,
};

/** Every deep module meshform requires, what it must export, and who uses it. */
const CONTRACT: Record<string, { usedBy: string; check: Check }> = {
  'kafkajs/src/cluster/connectionPoolBuilder': { usedBy: 'wire.ts (KafkaWire.open)', check: (m) => isFunction(m, 'the module') },
  'kafkajs/src/broker': {
    usedBy: 'wire.ts (a Broker per node)',
    check: (m) => isFunction(m, 'the module') ?? hasFunctions(m?.prototype, ['connect', 'disconnect', 'isConnected'], 'Broker.prototype'),
  },
  'kafkajs/src/protocol/requests': {
    usedBy: 'wire.ts, offsets.ts, fetch.ts (requests.<Name>)',
    check: (m) =>
      hasFunctions(m, ['lookup'], 'the module') ??
      Object.keys(API_KEYS)
        .map((name) => (Array.isArray(m?.requests?.[name]?.versions) && typeof m.requests[name].protocol === 'function' ? undefined : `requests.${name} has no versions/protocol`))
        .find((p) => p !== undefined),
  },
  'kafkajs/src/protocol/requests/apiKeys': {
    usedBy: 'wire.ts, offsets.ts, fetch.ts',
    check: (m) => Object.entries(API_KEYS).map(([name, key]) => (m?.[name] === key ? undefined : `${name} is ${m?.[name]}, Kafka's key is ${key}`)).find((p) => p),
  },
  'kafkajs/src/loggers': {
    usedBy: 'wire.ts (quietLogger)',
    check: (m) => hasFunctions(m, ['createLogger'], 'the module') ?? (typeof m?.LEVELS?.NOTHING === 'number' ? undefined : 'LEVELS.NOTHING is missing'),
  },
  'kafkajs/src/network/socketFactory': { usedBy: 'wire.ts (KafkaWire.open)', check: (m) => isFunction(m, 'the module') ?? isFunction(m(), 'socketFactory()') },
  'kafkajs/src/protocol/encoder': {
    usedBy: 'incremental-alter-configs.ts, requests/codec.ts',
    check: (m) => isFunction(m, 'the module') ?? hasFunctions(m?.prototype, ['writeInt8', 'writeString', 'writeArray', 'writeBoolean', 'writeBuffer'], 'Encoder.prototype'),
  },
  'kafkajs/src/protocol/decoder': {
    usedBy: 'incremental-alter-configs.ts',
    check: (m) => isFunction(m, 'the module') ?? hasFunctions(m?.prototype, ['readInt8', 'readInt16', 'readInt32', 'readString', 'readArray'], 'Decoder.prototype'),
  },
  'kafkajs/src/protocol/error': {
    usedBy: 'protocol.ts (errorName)',
    check: (m) =>
      Array.isArray(m?.errorCodes) && m.errorCodes.every((e: { type?: unknown; code?: unknown }) => typeof e.type === 'string' && typeof e.code === 'number')
        ? undefined
        : 'errorCodes is not a list of { type, code }',
  },
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** `bytes('00 02', text('ab'))`: hex groups and ASCII text, as a protocol table reads. */
function bytes(...parts: Array<string | Buffer>): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p.replace(/ /g, ''), 'hex') : p)));
}
const text = (s: string) => Buffer.from(s, 'ascii');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const deep = (path: string): any => require(path);
/** The body a kafkajs request definition encodes for `version` and `args`. */
async function encoded(api: string, version: number, args: unknown): Promise<Buffer> {
  const { request } = deep('kafkajs/src/protocol/requests').requests[api].protocol({ version })(args);
  return (await request.encode()).buffer;
}

describe(`kafkajs internals meshform relies on (pinned ${PINNED})`, () => {
  test('the pinned version is installed', () => {
    expect(INSTALLED).toBe(PINNED);
  });

  test('kafkajs internals are required only in src/adapters/kafka/client/, and every one is in this contract', () => {
    const outside: string[] = [];
    const required = new Set<string>();
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      const rel = relative(ROOT, file);
      for (const m of readFileSync(file, 'utf8').matchAll(/['"](kafkajs\/src\/[^'"]+)['"]/g)) {
        if (!rel.startsWith(CLIENT_DIR + '/')) outside.push(`${rel}: ${m[1]}`);
        required.add(m[1]);
      }
    }
    expect(outside).toEqual([]);
    expect([...required].filter((p) => !(p in CONTRACT)).map((p) => `${p}: required by meshform, not checked here`)).toEqual([]);
  });

  test('each deep module exists and exports what meshform calls', () => {
    const problems: string[] = [];
    for (const [path, { usedBy, check }] of Object.entries(CONTRACT)) {
      let module: unknown;
      try {
        module = deep(path);
      } catch (e) {
        problems.push(`${path} (used by ${usedBy}): cannot be loaded: ${(e as Error).message.split('\n')[0]}. ${CHANGED}`);
        continue;
      }
      const problem = check(module);
      if (problem) problems.push(`${path} (used by ${usedBy}): ${problem}. ${CHANGED}`);
    }
    expect(problems).toEqual([]);
  });

  test('a connection pool is built from the bootstrap address without connecting, and a Broker wraps it as wire.ts expects', async () => {
    const { createLogger, LEVELS } = deep('kafkajs/src/loggers');
    const logger = createLogger({ level: LEVELS.NOTHING, logCreator: () => () => undefined });
    const builder = deep('kafkajs/src/cluster/connectionPoolBuilder')({
      socketFactory: deep('kafkajs/src/network/socketFactory')(),
      brokers: ['127.0.0.1:1'],
      clientId: 'meshform',
      requestTimeout: 1000,
      enforceRequestTimeout: true,
      connectionTimeout: 100,
      logger,
    });
    const pool = await builder.build();
    expect({ host: pool.host, port: pool.port, send: typeof pool.send, destroy: typeof pool.destroy }).toEqual({ host: '127.0.0.1', port: 1, send: 'function', destroy: 'function' });
    const Broker = deep('kafkajs/src/broker');
    const broker = new Broker({ connectionPool: pool, logger, allowAutoTopicCreation: false });
    expect(broker.connectionPool).toBe(pool);
    expect(broker.versions).toBeNull();
    expect(broker.isConnected()).toBe(false);
    // Before connect(), lookupRequest refuses; connect() replaces it by `lookup(versions)`: the same lookup, given versions, picks the highest common version.
    expect(() => broker.lookupRequest(API_KEYS.DeleteTopics, deep('kafkajs/src/protocol/requests').requests.DeleteTopics)).toThrow();
    const { lookup, requests } = deep('kafkajs/src/protocol/requests');
    const { request } = lookup({ [API_KEYS.DeleteTopics]: { minVersion: 0, maxVersion: 6 } })(API_KEYS.DeleteTopics, requests.DeleteTopics)({ topics: ['t'], timeout: 1 });
    expect({ apiKey: request.apiKey, apiVersion: request.apiVersion }).toEqual({ apiKey: 20, apiVersion: 1 });
    await pool.destroy();
  });

  describe('fixed requests encode to the bytes of Kafka\'s protocol guide', () => {
    test('DeleteTopics v1 => [topic_names] timeout_ms', async () => {
      expect(await encoded('DeleteTopics', 1, { topics: ['ab', 'c'], timeout: 5000 })).toEqual(bytes('00 00 00 02', '00 02', text('ab'), '00 01', text('c'), '00 00 13 88'));
    });

    test('Metadata v4 => [topics] allow_auto_topic_creation: no topics named is the null array (every topic), as wire.ts relies on', async () => {
      expect(await encoded('Metadata', 4, { topics: [], allowAutoTopicCreation: false })).toEqual(bytes('ff ff ff ff', '00'));
      expect(await encoded('Metadata', 4, { topics: ['ab'], allowAutoTopicCreation: false })).toEqual(bytes('00 00 00 01', '00 02', text('ab'), '00'));
    });

    test('CreateAcls v1 and DeleteAcls v1 of a meshform binding (toWireAcl: ResourceType TOPIC 2, PatternType PREFIXED 4, READ 3, ALLOW 3)', async () => {
      const acl = toWireAcl({ principal: 'User:a', resourceType: 'TOPIC', resourceName: 'p._public.', patternType: 'PREFIXED', operation: 'READ', permission: 'ALLOW', host: '*' });
      const binding = bytes('02', '00 0a', text('p._public.'), '04', '00 06', text('User:a'), '00 01', text('*'), '03', '03');
      expect(await encoded('CreateAcls', 1, { creations: [acl] })).toEqual(Buffer.concat([bytes('00 00 00 01'), binding]));
      expect(await encoded('DeleteAcls', 1, { filters: [acl] })).toEqual(Buffer.concat([bytes('00 00 00 01'), binding]));
    });

    test('the frame: request header v1 (size, api_key, api_version, correlation_id, client_id), as requests/codec.ts assumes', async () => {
      const { request } = deep('kafkajs/src/protocol/requests').requests.DeleteTopics.protocol({ version: 1 })({ topics: ['ab', 'c'], timeout: 5000 });
      const framed = await deep('kafkajs/src/protocol/request')({ correlationId: 7, clientId: 'mf', request });
      expect(framed.buffer).toEqual(
        bytes('00 00 00 1b', '00 14', '00 01', '00 00 00 07', '00 02', text('mf'), '00 00 00 02', '00 02', text('ab'), '00 01', text('c'), '00 00 13 88'),
      );
    });

    test('IncrementalAlterConfigs v0 on kafkajs\'s Encoder, and its response on kafkajs\'s Decoder', async () => {
      const { request, response } = incrementalAlterConfigsRequest([{ topic: 'ab', changes: [{ name: 'retention.ms', op: 0, value: '1000' }, { name: 'x', op: 1, value: null }] }]);
      expect((await request.encode() as unknown as { buffer: Buffer }).buffer).toEqual(
        bytes('00 00 00 01', '02', '00 02', text('ab'), '00 00 00 02', '00 0c', text('retention.ms'), '00', '00 04', text('1000'), '00 01', text('x'), '01', 'ff ff', '00'),
      );
      // throttle_time_ms, [responses: error_code, error_message (null), resource_type, resource_name]
      expect(await response.decode(bytes('00 00 00 00', '00 00 00 01', '00 29', 'ff ff', '02', '00 02', text('ab')))).toEqual({
        responses: [{ topic: 'ab', errorCode: 41, errorMessage: null }],
      });
    });

    test('a hand-written request\'s bytes pass through kafkajs\'s Encoder unchanged (requests/codec.ts Writer.encoder)', () => {
      const writer = new Writer(false).int32(2).string('ab').int8(1);
      expect((writer.encoder() as { buffer: Buffer }).buffer).toEqual(bytes('00 00 00 02', '00 02', text('ab'), '01'));
    });

    test('DeleteTopics v1 response decodes to the fields wire.ts reads (topicErrors: topic, errorCode)', async () => {
      const { response } = deep('kafkajs/src/protocol/requests').requests.DeleteTopics.protocol({ version: 1 })({ topics: ['ab'], timeout: 1 });
      const data = await response.decode(bytes('00 00 00 00', '00 00 00 01', '00 02', text('ab'), '00 24'));
      expect(data.topicErrors).toEqual([{ topic: 'ab', errorCode: 36 }]);
    });
  });

  test('error codes name the protocol\'s errors', () => {
    expect([3, 29, 30, 31, 36, 41].map(errorName)).toEqual([
      'UNKNOWN_TOPIC_OR_PARTITION (3)',
      'TOPIC_AUTHORIZATION_FAILED (29)',
      'GROUP_AUTHORIZATION_FAILED (30)',
      'CLUSTER_AUTHORIZATION_FAILED (31)',
      'TOPIC_ALREADY_EXISTS (36)',
      'NOT_CONTROLLER (41)',
    ]);
  });
});
