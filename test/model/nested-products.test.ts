import * as path from 'node:path';
import { loadMesh } from '../../src/model';
import { planMesh } from '../../src/plan';
import type { KafkaAcl, Resource } from '../../src/plan/types';
import { loadStack } from '../../src/stack/load';

const cwd = path.resolve(__dirname, '../..');

describe('products whose ids nest (acme.user, acme.user.profile) and share text prefixes (acme.userprops)', () => {
  it('plan owner ACL prefixes that reach only the owner\'s own topics', async () => {
    const { mesh, diagnostics } = await loadMesh(['test/fixtures/specs/valid/mesh-nested-product-ids'], { cwd });
    expect(diagnostics).toEqual([]);
    const { stack } = loadStack('dev', { root: cwd });
    if (!mesh || !stack) throw new Error('mesh or stack did not load');
    const plan = planMesh(mesh, stack);

    const topicsOf = new Map(mesh.products.map((p) => [p.id, p.topics.map((t) => t.name)]));
    const isOwnerTopicAcl = (r: Resource): r is KafkaAcl =>
      r.kind === 'kafka:Acl' && r.properties.resourceType === 'TOPIC' && r.properties.patternType === 'PREFIXED' && r.properties.permission === 'ALLOW';
    const prefixedTopicAcls = plan.resources.filter(isOwnerTopicAcl);
    expect(prefixedTopicAcls.length).toBeGreaterThan(0);
    for (const acl of prefixedTopicAcls) {
      const prefix = acl.properties.resourceName;
      for (const [id, topics] of topicsOf) {
        const reached = topics.filter((t) => t.startsWith(prefix));
        if (id !== acl.product) expect({ prefix, of: acl.product, reached }).toEqual({ prefix, of: acl.product, reached: [] });
      }
    }
    for (const [id, topics] of topicsOf) {
      for (const topic of topics) {
        const owners = prefixedTopicAcls.filter((a) => topic.startsWith(a.properties.resourceName)).map((a) => a.product);
        expect(new Set(owners)).toEqual(new Set([id]));
      }
    }
  });
});
