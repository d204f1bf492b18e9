/**
 * Planning time, on its own (a timing assertion depends on the machine's load, so the mutation
 * runs of test/mutation/targets.js leave this file out).
 */
import { planMesh } from '../../src/plan';
import { mesh, product, topic } from '../support/mesh';
import { stack } from '../support/stack';

describe('planMesh', () => {
  const s = stack({ gcp: { publicReaders: 'domain:acme.com' } });

  test('scales: 1,000 products of 10 topics plan quickly', () => {
    const products = Array.from({ length: 1000 }, (_, i) => {
      const id = `acme.d${i % 20}.p${i}`;
      return product(id, {
        topics: Array.from({ length: 10 }, (_, t) =>
          topic(id, (['public', 'protected', 'private'] as const)[t % 3], `t${t}`, { grants: t % 3 === 1 ? [`acme.d0.p${(i + 1) % 1000}`] : [] }),
        ),
      });
    });
    // CPU time of this process, not wall time: other work on a loaded machine does not count.
    const started = process.cpuUsage();
    const plan = planMesh(mesh(...products), s);
    const { user, system } = process.cpuUsage(started);
    expect(plan.resources.filter((r) => r.kind === 'kafka:Topic')).toHaveLength(10_000);
    expect((user + system) / 1000).toBeLessThan(2000);
  });
});
