/** The example mesh the plan tests share. */
import type { Mesh } from '../../src/vocabulary/mesh';
import { mesh, product, topic } from '../support/mesh';

/**
 * Two business domains, public, protected (with a grant) and private topics, a consumer, a subset
 * of layers, and two ids where one prefixes the other.
 */
export function exampleMesh(): Mesh {
  return mesh(
    product('acme.retail.orders', {
      owners: ['user:alice@acme.com', 'group:orders@acme.com'],
      topics: [
        topic('acme.retail.orders', 'public', 'order_placed', { partitions: 12, config: { 'retention.ms': '604800000' } }),
        topic('acme.retail.orders', 'protected', 'payment_details', { grants: ['acme.finance.billing'] }),
        topic('acme.retail.orders', 'private', 'order_state', { config: { 'cleanup.policy': 'compact' } }),
      ],
    }),
    product('acme.finance.billing', {
      layers: ['raw', 'curated'],
      consumes: ['acme.retail.orders._protected.payment_details', 'acme.retail.orders._public.order_placed'],
      topics: [topic('acme.finance.billing', 'public', 'invoice_issued')],
    }),
    product('acme.user', { topics: [topic('acme.user', 'private', 'profile')] }),
    product('acme.userprops', { topics: [topic('acme.userprops', 'public', 'prop_changed')], layers: ['raw'] }),
  );
}
