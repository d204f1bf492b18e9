/**
 * Bench only: the Kafka dynamic provider of the engine's second floor. The floor project's
 * `meshform/pulumi/kafka-provider` is this module (bench/pulumi.ts installs it over the packed
 * package there), so the same program registers the same KafkaProduct resources with the same
 * inputs, and every operation answers at once, without a connection: create and update return
 * the outputs the real provider returns for a product whose every topic and ACL was created (the
 * same state, so the engine's checkpoints cost the same), check refuses nothing, delete does nothing.
 * What `pulumi up` takes with it, minus the floor without Kafka, is the engine's cost of the Kafka
 * resources; the real up minus it is what the provider's waits add.
 */
const { outputsOf } = require('./dist/src/adapters/pulumi/kafka-provider.js');
const { readStored } = require('./dist/src/adapters/pulumi/kafka-state.js');

/** The outputs the real provider stores for the product once everything is made. */
function applied(stored) {
  return outputsOf(readStored(stored));
}

module.exports.provider = {
  async configure() {},
  async check(_olds, news) {
    return { inputs: news, failures: [] };
  },
  async diff() {
    return { changes: false, replaces: [], stables: ['product'], deleteBeforeReplace: false };
  },
  async create(inputs) {
    return { id: inputs.product, outs: applied(inputs) };
  },
  async update(_id, _olds, news) {
    return { outs: applied(news) };
  },
  async read(id, props) {
    return { id, props };
  },
  async delete() {},
};
