import { describeConnection, KafkaConfigError, redact, resolveConnection } from '../../src/adapters/kafka/client/connection';
import type { KafkaConnectionSettings } from '../../src/stack/types';

const stack: KafkaConnectionSettings = { bootstrap: 'kafka-1:9092,kafka-2:9092', clientId: 'meshform-dev', tls: true };

describe('resolveConnection', () => {
  it('takes the stack settings', () => {
    expect(resolveConnection(stack, {})).toEqual({ brokers: ['kafka-1:9092', 'kafka-2:9092'], clientId: 'meshform-dev', tls: true });
  });

  it('lets the environment override the stack and the command line override both', () => {
    const env = { MESHFORM_KAFKA_BOOTSTRAP: 'env:1', MESHFORM_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', MESHFORM_KAFKA_USERNAME: 'admin', MESHFORM_KAFKA_PASSWORD: 's3cret' };
    expect(resolveConnection(stack, env).brokers).toEqual(['env:1']);
    expect(resolveConnection(stack, env).sasl).toEqual({ mechanism: 'scram-sha-512', username: 'admin', password: 's3cret' });
    expect(resolveConnection(stack, env, { bootstrap: 'cli:2' }).brokers).toEqual(['cli:2']);
  });

  it.each([
    [{ ...stack, bootstrap: undefined }, {}, /no Kafka bootstrap/],
    [{ ...stack, bootstrap: 'nohost' }, {}, /bad Kafka bootstrap "nohost"/],
    [stack, { MESHFORM_KAFKA_SASL_MECHANISM: 'gssapi' }, /unknown SASL mechanism/],
    [stack, { MESHFORM_KAFKA_SASL_MECHANISM: 'plain', MESHFORM_KAFKA_USERNAME: 'u' }, /needs a username and password/],
    [stack, { MESHFORM_KAFKA_PASSWORD: 'p' }, /without a SASL mechanism/],
  ])('rejects unusable settings with one line (%#)', (settings, env, message) => {
    expect(() => resolveConnection(settings, env)).toThrow(KafkaConfigError);
    expect(() => resolveConnection(settings, env)).toThrow(message);
  });

  it('never shows the password', () => {
    const c = resolveConnection(stack, { MESHFORM_KAFKA_SASL_MECHANISM: 'plain', MESHFORM_KAFKA_USERNAME: 'admin', MESHFORM_KAFKA_PASSWORD: 'hunter2' });
    expect(describeConnection(c)).toBe('kafka-1:9092,kafka-2:9092 (SASL plain as admin, TLS on)');
    expect(redact('auth failed for admin:hunter2 (hunter2)', c)).toBe('auth failed for admin:*** (***)');
  });
});
