/** The seam where the Kafka adapter joins each product's component. */
import * as pulumi from '@pulumi/pulumi';
import type { KafkaRegistrationOptions } from '../../src/adapters/pulumi/kafka-seam';
import type { Resource } from '../../src/plan/types';
import { awaitOutput, pulumiConfigOf, ROOT, settle, useMocks } from './support/harness';

type Program = typeof import('../../src/adapters/pulumi/program');

test('the hook gets each product\'s kafka resources with the product component as parent', async () => {
  const registrations = await useMocks('dev');
  const program: Program = await import('../../src/adapters/pulumi/program');
  const calls: { product: string; resources: Resource[]; opts: KafkaRegistrationOptions }[] = [];
  const planned = await program.planForPulumi({ stackName: 'dev', config: pulumiConfigOf('dev'), root: ROOT });
  if (!planned.ok) throw new Error('example specs must plan');
  await program.meshformProgram({
    stackName: 'dev',
    config: pulumiConfigOf('dev'),
    root: ROOT,
    registerKafka: (product, resources, opts) => {
      calls.push({ product, resources, opts });
    },
  });
  await settle(registrations);

  const products = planned.plan.products.map((p) => p.id);
  expect(calls.map((c) => c.product)).toEqual(products);
  for (const call of calls) {
    expect(call.resources).toEqual(planned.plan.resources.filter((r) => r.product === call.product && r.kind.startsWith('kafka:')));
    expect(call.resources.length).toBeGreaterThan(0);
    expect(await awaitOutput((call.opts.parent as pulumi.ComponentResource).urn)).toMatch(
      new RegExp(`meshform:mesh:DataProduct::${call.product.replace(/\./g, '\\.')}$`),
    );
    expect(call.opts.stack.name).toBe('dev');
  }
});

test('without a Kafka bootstrap the seam stays closed', async () => {
  const { loadKafkaRegistration } = await import('../../src/adapters/pulumi/kafka-seam');
  const { stackFromPulumiConfig } = await import('../../src/stack/load');
  const config = pulumiConfigOf('dev');
  delete config['meshform:kafkaBootstrap'];
  const { stack } = stackFromPulumiConfig('dev', config, {});
  expect(stack?.kafka.connection.bootstrap).toBeUndefined();
  expect(loadKafkaRegistration(stack!)).toBeUndefined();
});
