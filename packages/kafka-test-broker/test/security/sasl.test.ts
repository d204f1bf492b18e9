import { Kafka, logLevel } from 'kafkajs';
import { TestBroker, startTestBroker } from '../../src';
import { verifyPlainToken } from '../../src/security/sasl-plain';
import { adminFor } from '../kafka';
import { WireClient } from '../wire-client';
import { withBroker } from '../with-broker';

const USERS = { alice: 'alice-secret', admin: 'admin-secret' };
const token = (user: string, password: string, authzid = '') => Buffer.from(`${authzid}\u0000${user}\u0000${password}`);

describe('SASL PLAIN token check', () => {
  it('accepts the right password, with or without a matching authorization id', () => {
    expect(verifyPlainToken(token('alice', 'alice-secret'), USERS)).toEqual({ ok: true, user: 'alice' });
    expect(verifyPlainToken(token('alice', 'alice-secret', 'alice'), USERS)).toEqual({ ok: true, user: 'alice' });
  });

  it('refuses a wrong password, an unknown user, another authorization id or a malformed token', () => {
    expect(verifyPlainToken(token('alice', 'wrong'), USERS)).toEqual({ ok: false, reason: 'Authentication failed: Invalid username or password' });
    expect(verifyPlainToken(token('mallory', 'x'), USERS).ok).toBe(false);
    expect(verifyPlainToken(token('toString', ''), USERS).ok).toBe(false);
    expect(verifyPlainToken(token('alice', 'alice-secret', 'admin'), USERS).ok).toBe(false);
    expect(verifyPlainToken(Buffer.from('alice:alice-secret'), USERS).ok).toBe(false);
  });
});

describe('SASL PLAIN on the wire', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await startTestBroker({ saslUsers: USERS, superUsers: ['User:admin'] });
  });

  afterAll(async () => {
    await broker.stop();
  });

  it('kafkajs authenticates with the right password (SaslHandshake v1 + SaslAuthenticate)', async () => {
    broker.resetStats();
    const admin = await adminFor(broker, { username: 'admin', password: 'admin-secret' });
    await admin.createTopics({ topics: [{ topic: 'sasl.ok' }] });
    expect(await admin.listTopics()).toEqual(['sasl.ok']);
    await admin.disconnect();
    const { requests } = broker.stats();
    expect(requests.SaslHandshake).toBeGreaterThan(0);
    expect(requests.SaslAuthenticate).toBe(requests.SaslHandshake);
  });

  it('kafkajs fails with the broker reason on a wrong password', async () => {
    const admin = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 }, sasl: { mechanism: 'plain', username: 'alice', password: 'nope' } }).admin();
    await expect(admin.connect()).rejects.toThrow('SASL PLAIN authentication failed: Authentication failed: Invalid username or password');
  });

  it('answers SASL_AUTHENTICATION_FAILED (58) and then closes the connection', async () => {
    const wire = await WireClient.open(broker.bootstrap);
    await wire.request(17, 1, { mechanism: 'PLAIN' });
    const res = await wire.request<{ errorCode: number }>(36, 2, { authBytes: token('alice', 'bad') });
    expect(res.errorCode).toBe(58);
    await wire.whenClosed();
  });

  it('serves the legacy flow after SaslHandshake v0: a bare token, an empty frame back (kafka-python 2.0.2)', async () => {
    const wire = await WireClient.open(broker.bootstrap);
    const handshake = await wire.request<{ errorCode: number; mechanisms: string[] }>(17, 0, { mechanism: 'PLAIN' });
    expect(handshake).toEqual({ errorCode: 0, mechanisms: ['PLAIN'] });
    expect(await wire.exchange(token('alice', 'alice-secret'))).toEqual(Buffer.alloc(0));
    const meta = await wire.request<{ brokers: unknown[] }>(3, 1, { topics: null });
    expect(meta.brokers).toHaveLength(1);
    wire.close();
  });

  it('closes the connection on a bad bare token', async () => {
    const wire = await WireClient.open(broker.bootstrap);
    await wire.request(17, 0, { mechanism: 'PLAIN' });
    await expect(wire.exchange(token('alice', 'bad'))).rejects.toThrow('connection closed');
  });

  it('answers UNSUPPORTED_SASL_MECHANISM (33) with the enabled mechanisms, then closes', async () => {
    const wire = await WireClient.open(broker.bootstrap);
    expect(await wire.request(17, 1, { mechanism: 'SCRAM-SHA-256' })).toEqual({ errorCode: 33, mechanisms: ['PLAIN'] });
    await wire.whenClosed();
  });

  it('allows ApiVersions before authentication and closes the connection on anything else', async () => {
    const wire = await WireClient.open(broker.bootstrap);
    expect((await wire.request<{ errorCode: number }>(18, 2, {})).errorCode).toBe(0);
    await expect(wire.request(3, 1, { topics: null })).rejects.toThrow('connection closed');
  });

  it('answers ILLEGAL_SASL_STATE (34) to a second handshake after authentication', async () => {
    const wire = await WireClient.open(broker.bootstrap);
    await wire.request(17, 1, { mechanism: 'PLAIN' });
    expect((await wire.request<{ errorCode: number }>(36, 1, { authBytes: token('alice', 'alice-secret') })).errorCode).toBe(0);
    expect((await wire.request<{ errorCode: number }>(17, 1, { mechanism: 'PLAIN' })).errorCode).toBe(34);
    wire.close();
  });

  it('answers ILLEGAL_SASL_STATE (34) to SASL requests on a PLAINTEXT listener', async () => {
    await withBroker({}, async (plaintext) => {
      const wire = await WireClient.open(plaintext.bootstrap);
      expect((await wire.request<{ errorCode: number }>(17, 1, { mechanism: 'PLAIN' })).errorCode).toBe(34);
      expect((await wire.request<{ errorCode: number }>(36, 0, { authBytes: token('a', 'b') })).errorCode).toBe(34);
      wire.close();
    });
  });
});
