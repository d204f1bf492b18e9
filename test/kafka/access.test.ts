/**
 * The access matrix with real produce and consume under SASL, by kafkajs (consumer group) and kcat
 * (librdkafka, no group): public / protected / private topics
 * of acme.user x its owner, its grantee (acme.billing) and another product whose id shares its
 * prefix (acme.userprops). Exactly the intended access, no more.
 */
import { join } from 'node:path';
import { startMeshKafka, type MeshKafka, type MeshKafkaBackend } from '../../src/testing';
import { kcatMissing } from '@meshform/peers/testing/clients/kcat';
import { PEERS_REQUIRED } from '@meshform/peers/testing/peers';
import { REAL_KAFKA_START_MS, realKafkaBackend, realKafkaStarter } from '@meshform/peers/testing/real-kafka';
import { canConsume, canProduce, kcatCanConsume, kcatCanProduce } from './clients';
import { containersBackend } from '@meshform/peers/testing/containers';

const backends: [MeshKafkaBackend, string | undefined][] = [
  ['in-process', undefined],
  realKafkaBackend('access matrix on real Kafka'),
  containersBackend('access matrix on containers'),
];
const noKcat = kcatMissing();
if (noKcat && PEERS_REQUIRED) throw new Error(`MESHFORM_REQUIRE_PEERS=1 and ${noKcat}`);
if (noKcat) console.warn(`access matrix: the kcat column skipped: ${noKcat}`);
for (const [backend, reason] of backends) if (reason) console.warn(`access matrix on ${backend} skipped: ${reason}`);

const owner = 'User:acme.user';
const grantee = 'User:acme.billing';
const other = 'User:acme.userprops';

describe.each(backends)('access matrix on a mesh provisioned by startMeshKafka (%s)', (backend, reason) => {
  if (reason) {
    it.skip(`skipped: ${reason}`, () => undefined);
    return;
  }
  let kafka: MeshKafka;

  beforeAll(async () => {
    kafka = await startMeshKafka({ specs: join(__dirname, 'specs', 'access'), backend, realKafka: realKafkaStarter, log: () => undefined });
    expect(kafka.backend).toBe(backend);
    // Every topic gets a message from its owner first, so an allowed consumer has something to read.
    for (const [user, topic] of [
      [owner, 'acme.user._public.signups'],
      [owner, 'acme.user._protected.profiles'],
      [owner, 'acme.user._private.sessions'],
      [other, 'acme.userprops._protected.settings'],
      [other, 'acme.userprops._public.changes'],
    ]) {
      expect(await canProduce(kafka.bootstrap, kafka.credentials[user], topic)).toBe(true);
    }
  }, REAL_KAFKA_START_MS);

  afterAll(async () => {
    await kafka?.stop();
  });

  it.each([
    ['acme.user._public.signups', owner, true, true],
    ['acme.user._public.signups', grantee, false, true],
    ['acme.user._public.signups', other, false, true],
    ['acme.user._protected.profiles', owner, true, true],
    ['acme.user._protected.profiles', grantee, false, true],
    ['acme.user._protected.profiles', other, false, false],
    ['acme.user._private.sessions', owner, true, true],
    ['acme.user._private.sessions', grantee, false, false],
    ['acme.user._private.sessions', other, false, false],
    // acme.user's prefix must not reach acme.userprops (SpecMesh issue #564).
    ['acme.userprops._protected.settings', owner, false, false],
    ['acme.userprops._public.changes', owner, false, true],
  ])('%s as %s: produce %s, consume %s', async (topic, principal, produce, consume) => {
    const user = kafka.credentials[principal];
    expect(await canProduce(kafka.bootstrap, user, topic)).toBe(produce);
    expect(await canConsume(kafka.bootstrap, user, topic)).toBe(consume);
    if (noKcat) return;
    expect(await kcatCanProduce(kafka.bootstrap, user, topic)).toBe(produce);
    expect(await kcatCanConsume(kafka.bootstrap, user, topic)).toBe(consume);
  });
});
