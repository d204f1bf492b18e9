/**
 * The Kafka connection has one reader (src/stack/kafka-connection.ts) and one rule for a broker
 * address. Every case below is written by hand and goes through each way an address reaches
 * meshform: the stack file's meshform:kafkaBootstrap, MESHFORM_KAFKA_BOOTSTRAP with a stack or
 * without one, and --bootstrap; each entry point must accept or refuse it alike.
 */
import { buildStackConfig } from '../../src/stack/settings';
import {
  describeConnection,
  KafkaConfigError,
  kafkaSettingsFromEnv,
  parseAddress,
  resolveConnection,
} from '../../src/stack/kafka-connection';
import type { KafkaConnectionSettings } from '../../src/stack/types';
import { unveiled } from '../support/secrets';

/** Accepted: the address as written -> host and port. */
const ACCEPTED: Array<[string, string, number]> = [
  ['kafka-1:9092', 'kafka-1', 9092],
  ['localhost:1', 'localhost', 1],
  ['broker.eu-west-1.example.com:65535', 'broker.eu-west-1.example.com', 65535],
  ['127.0.0.1:9092', '127.0.0.1', 9092],
  ['KAFKA_1:29092', 'KAFKA_1', 29092],
  ['[::1]:9092', '::1', 9092],
  ['[2001:db8::17]:9093', '2001:db8::17', 9093],
  ['[::ffff:127.0.0.1]:9092', '::ffff:127.0.0.1', 9092],
];

/** Refused: the address as written -> part of the reason. */
const REFUSED: Array<[string, string]> = [
  ['b@r:9092', "'b@r' is not a host name"],
  ['nohost', 'no port'],
  ['kafka:', "port '' is not a number"],
  [':9092', 'no host'],
  ['kafka:0', "port '0' is not a number from 1 to 65535"],
  ['kafka:65536', "port '65536'"],
  ['kafka:09092', "port '09092'"],
  ['kafka:9092x', "port '9092x'"],
  ['kafka:-1', "port '-1'"],
  ['::1:9092', 'an IPv6 address goes in brackets: [::1]:9092'],
  ['2001:db8::17:9093', 'an IPv6 address goes in brackets'],
  ['[::1]', 'no port'],
  ['[kafka]:9092', "'kafka' in brackets is not an IPv6 address"],
  ['[1::2::3]:9092', 'is not an IPv6 address'],
  ['[::1]:', "port ''"],
  ['a:b:9092', 'more than one colon'],
  ['kafka://broker:9092', 'a scheme (kafka://, http://): only host:port'],
  ['broker:9092/', "port '9092/'"],
  ['two words:9092', "'two words' is not a host name"],
  ['-kafka:9092', "'-kafka' is not a host name"],
  ['kafka-:9092', "'kafka-' is not a host name"],
  ['kafka..local:9092', 'has an empty part between dots'],
  ['kafka.:9092', 'has an empty part between dots'],
  ['999.1.1.1:9092', "'999.1.1.1' is not an IPv4 address"],
  ['10.0.0:9092', "'10.0.0' is not an IPv4 address"],
  [`${'a'.repeat(64)}:9092`, 'is not a host name'],
  [`${Array(64).fill('abc').join('.')}:9092`, 'longer than 253 characters'],
];

/** What each entry point says about one bootstrap list: undefined when it accepts it, else its message. */
function verdicts(bootstrap: string): Record<string, string | undefined> {
  const fromStack = (entries: Array<{ key: string; value: unknown }>, env: NodeJS.ProcessEnv) => {
    const built = buildStackConfig('t', [{ key: 'meshform:gcpProject', value: 'acme-data-test' }, ...entries], env, { kind: 'pulumi' });
    const errors = built.diagnostics.filter((d) => d.severity === 'error');
    return errors.length ? errors.map((d) => `${d.code} ${d.message}`).join('\n') : undefined;
  };
  const thrown = (work: () => unknown) => {
    try {
      work();
      return undefined;
    } catch (e) {
      if (!(e instanceof KafkaConfigError)) throw e;
      return e.message;
    }
  };
  return {
    stackFile: fromStack([{ key: 'meshform:kafkaBootstrap', value: bootstrap }], {}),
    envWithStack: fromStack([], { MESHFORM_KAFKA_BOOTSTRAP: bootstrap }),
    envWithoutStack: thrown(() => resolveConnection(kafkaSettingsFromEnv({ MESHFORM_KAFKA_BOOTSTRAP: bootstrap }))),
    flag: thrown(() => resolveConnection({ clientId: 'meshform', tls: false }, { bootstrap })),
  };
}

describe('a broker address: one rule', () => {
  it.each(ACCEPTED)('accepts %s', (text, host, port) => {
    expect(parseAddress(text)).toEqual({ host, port });
  });

  it.each(REFUSED)('refuses %s', (text, reason) => {
    const parsed = parseAddress(text);
    expect(parsed).toEqual({ problem: expect.stringContaining(reason) });
  });

  it.each(ACCEPTED)('%s is accepted by the stack file, the environment with and without a stack, and --bootstrap', (text) => {
    expect(verdicts(`${text}, other-broker:9092`)).toEqual({ stackFile: undefined, envWithStack: undefined, envWithoutStack: undefined, flag: undefined });
  });

  it.each(REFUSED)('%s is refused by each of them, naming the address and why', (text, reason) => {
    const said = verdicts(`good:9092,${text}`);
    expect(said.stackFile).toMatch(/^MF-STACK-VALUE meshform:kafkaBootstrap: /);
    expect(said.envWithStack).toMatch(/^MF-STACK-ENV MESHFORM_KAFKA_BOOTSTRAP: /);
    expect(said.envWithoutStack).toMatch(/^MESHFORM_KAFKA_BOOTSTRAP: /);
    expect(said.flag).toMatch(/^bad Kafka bootstrap: /);
    for (const message of Object.values(said)) {
      expect(message).toContain(`'${text}' is not a broker address: `);
      expect(message).toContain(reason);
      expect(message).toContain('(expected host:port[,host:port...], an IPv6 address in brackets: [::1]:9092)');
    }
  });

  it('refuses an empty entry in a list everywhere, and trims spaces around entries', () => {
    for (const message of Object.values(verdicts('a:1,,b:2'))) expect(message).toContain("'' is not a broker address: an empty entry");
    expect(resolveConnection({ clientId: 'c', tls: false, bootstrap: ' a:1 , [::1]:2 ' }).brokers).toEqual(['a:1', '[::1]:2']);
  });
});

describe('resolveConnection', () => {
  const stack: KafkaConnectionSettings = { bootstrap: 'kafka-1:9092,kafka-2:9092', clientId: 'meshform-dev', tls: true };
  const withEnv = (env: NodeJS.ProcessEnv, values: Array<{ key: string; value: unknown }> = []) =>
    buildStackConfig('t', [{ key: 'meshform:gcpProject', value: 'acme-data-test' }, ...values], env, { kind: 'pulumi' }).stack!.kafka.connection;

  it('takes the stack settings', () => {
    expect(resolveConnection(stack)).toEqual({ brokers: ['kafka-1:9092', 'kafka-2:9092'], clientId: 'meshform-dev', tls: true });
  });

  it('lets the environment override the stack and the command line override both', () => {
    const env = { MESHFORM_KAFKA_BOOTSTRAP: 'env:1', MESHFORM_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', MESHFORM_KAFKA_USERNAME: ' admin ', MESHFORM_KAFKA_PASSWORD: 's3cret' };
    const settings = withEnv(env, [{ key: 'meshform:kafkaBootstrap', value: 'stack:1' }, { key: 'meshform:kafkaUsername', value: 'from-stack' }]);
    expect(resolveConnection(settings).brokers).toEqual(['env:1']);
    expect(unveiled(resolveConnection(settings).sasl)).toEqual({ mechanism: 'scram-sha-512', username: 'admin', password: 'secret:s3cret' });
    expect(resolveConnection(settings, { bootstrap: 'cli:2' }).brokers).toEqual(['cli:2']);
    expect(resolveConnection(withEnv({}, [{ key: 'meshform:kafkaBootstrap', value: 'stack:1' }])).brokers).toEqual(['stack:1']);
  });

  it('without a stack, reads the environment alone', () => {
    const settings = kafkaSettingsFromEnv({ MESHFORM_KAFKA_BOOTSTRAP: '[::1]:9092', MESHFORM_KAFKA_SASL_MECHANISM: 'plain', MESHFORM_KAFKA_USERNAME: 'u', MESHFORM_KAFKA_PASSWORD: 'p' });
    expect(unveiled(resolveConnection(settings))).toEqual({ brokers: ['[::1]:9092'], clientId: 'meshform', tls: false, sasl: { mechanism: 'plain', username: 'u', password: 'secret:p' } });
    expect(() => kafkaSettingsFromEnv({ MESHFORM_KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow("MESHFORM_KAFKA_SASL_MECHANISM: 'gssapi' is not one of plain, scram-sha-256, scram-sha-512");
  });

  it.each([
    [{ ...stack, bootstrap: undefined }, /^no Kafka bootstrap servers: set the stack's meshform:kafkaBootstrap, MESHFORM_KAFKA_BOOTSTRAP, or --bootstrap host:port$/],
    [{ ...stack, bootstrap: 'nohost' }, /^bad Kafka bootstrap: 'nohost' is not a broker address: no port/],
    [{ ...stack, saslMechanism: 'gssapi' as never }, /^unknown SASL mechanism "gssapi": use plain, scram-sha-256, scram-sha-512$/],
    [{ ...stack, saslMechanism: 'plain' as const, username: 'u' }, /^SASL plain needs a username and password: set MESHFORM_KAFKA_USERNAME and MESHFORM_KAFKA_PASSWORD$/],
    [{ ...stack, password: withEnv({ MESHFORM_KAFKA_PASSWORD: 'p' }).password }, /^Kafka username\/password given without a SASL mechanism/],
  ])('rejects unusable settings with one line (%#)', (settings, message) => {
    expect(() => resolveConnection(settings)).toThrow(KafkaConfigError);
    expect(() => resolveConnection(settings)).toThrow(message);
  });

  it('describes where and as whom, never the password', () => {
    const c = resolveConnection(withEnv({ MESHFORM_KAFKA_SASL_MECHANISM: 'plain', MESHFORM_KAFKA_USERNAME: 'admin', MESHFORM_KAFKA_PASSWORD: 'hunter2' }, [{ key: 'meshform:kafkaBootstrap', value: 'kafka-1:9092,[::1]:9092' }, { key: 'meshform:kafkaTls', value: true }]));
    expect(describeConnection(c)).toBe('kafka-1:9092,[::1]:9092 (SASL plain as admin, TLS on)');
    expect(`${JSON.stringify(c)} ${String(c.sasl?.password)} ${require('node:util').inspect(c)}`).not.toContain('hunter2');
  });
});
