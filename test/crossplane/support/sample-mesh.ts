/** The mesh the Crossplane package tests render. */
import type { Mesh } from '../../../src/vocabulary/mesh';
import { mesh, product, topic } from '../../support/mesh';

/** Public, protected-with-grant and private topics, subset layers, a product location override. */
export function sampleMesh(): Mesh {
  return mesh(
    product('acme.retail.orders', {
      owners: ['user:alice@acme.com', 'group:orders@acme.com'],
      topics: [
        topic('acme.retail.orders', 'public', 'order_placed'),
        topic('acme.retail.orders', 'protected', 'order_paid', { grants: ['acme.retail.shipping', 'acme.finance.unknown'] }),
        topic('acme.retail.orders', 'private', 'order_scratch'),
      ],
    }),
    product('acme.retail.shipping', { layers: ['raw', 'curated'], location: 'europe-west1' }),
    product('acme.finance.ledger', { layers: ['cleaned'], topics: [topic('acme.finance.ledger', 'public', 'entries')] }),
  );
}
