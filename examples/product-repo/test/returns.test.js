'use strict';
// The product's own tests on a Kafka provisioned from its spec and the mesh's: topics, and ACLs as
// the specs grant them, one SASL user per product. meshform/testing picks the backend (Kafka in a
// container where a Docker engine answers, else meshform's in-process broker) and says which; set
// MESHFORM_KAFKA_IMAGE to run another image, TESTCONTAINERS_RYUK_DISABLED=true where Ryuk cannot run.
const { test, before, after } = require('node:test');
const { setTimeout, clearTimeout } = require('node:timers');
const assert = require('node:assert/strict');
const { Kafka, logLevel } = require('kafkajs');
const { startMeshKafka } = require('meshform/testing');

const RETURNS = 'acme.retail.returns';
const TOPIC = `${RETURNS}._protected.return_received`;
let mesh;

before(async () => {
  mesh = await startMeshKafka({ specs: ['specs', 'mesh'] });
});
after(() => mesh && mesh.stop());

function as(product) {
  return new Kafka({
    brokers: [mesh.bootstrap],
    clientId: `${product}-test`,
    sasl: { mechanism: 'plain', ...mesh.credentials[`User:${product}`] },
    logLevel: logLevel.NOTHING,
  });
}

test('returns publishes a received return, and payments (granted by the spec) reads it', async () => {
  const producer = as(RETURNS).producer();
  await producer.connect();
  await producer.send({ topic: TOPIC, messages: [{ key: 'r-1', value: JSON.stringify({ returnId: 'r-1', orderId: 'o-9' }) }] });
  await producer.disconnect();

  const consumer = as('acme.finance.payments').consumer({ groupId: 'acme.finance.payments.refunds' });
  await consumer.connect();
  await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
  const received = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('nothing received in 30 s')), 30000);
    consumer.run({ eachMessage: async ({ message }) => { clearTimeout(timer); resolve(JSON.parse(message.value.toString())); } });
  });
  await consumer.disconnect();
  assert.deepEqual(received, { returnId: 'r-1', orderId: 'o-9' });
});

test('a product the spec does not grant is refused', async () => {
  const admin = as('acme.retail.shipping').admin();
  await admin.connect();
  try {
    // Exactly Kafka's authorization refusal (TOPIC_AUTHORIZATION_FAILED, code 29): not a topic that
    // is missing or a partition not served yet, which would make this test pass for the wrong reason.
    await assert.rejects(admin.fetchTopicOffsets(TOPIC), (e) => {
      assert.equal(e.type, 'TOPIC_AUTHORIZATION_FAILED');
      assert.equal(e.code, 29);
      return true;
    });
  } finally {
    await admin.disconnect();
  }
});
