/**
 * Schemas read from specs: `$ref`'d `.avsc`, `.json` and `.proto` files, key schemas from the
 * Kafka message binding, levels from the channel's x-meshform, and problems located in the file
 * that holds them. Expected values are written by hand from the fixtures.
 */
import * as path from 'node:path';
import { loadMesh } from '../../src/model';
import { planMesh } from '../../src/plan';
import type { SchemaSubjectProps } from '../../src/plan/types';
import { stack } from '../support/stack';

const cwd = path.resolve(__dirname, '../..');
const FIXTURES = 'test/schemas/fixtures';

async function subjects(dir: string, overrides = {}): Promise<Record<string, SchemaSubjectProps>> {
  const { mesh, diagnostics } = await loadMesh([`${FIXTURES}/${dir}`], { cwd });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const plan = planMesh(mesh!, stack(overrides));
  return Object.fromEntries(plan.resources.flatMap((r) => (r.kind === 'schema:Subject' ? [[r.properties.subject, r.properties]] : [])));
}

describe('schemas from specs', () => {
  it('plans one subject per owned topic and role, from $ref\'d .avsc, .json and .proto files', async () => {
    const planned = await subjects('refs');
    expect(Object.keys(planned).sort()).toEqual([
      'acme.retail.orders._private.audit-value',
      'acme.retail.orders._protected.order_state-key',
      'acme.retail.orders._protected.order_state-value',
      'acme.retail.orders._public.order_placed-key',
      'acme.retail.orders._public.order_placed-value',
    ]);
    const placed = planned['acme.retail.orders._public.order_placed-value'];
    expect(placed).toMatchObject({ schemaType: 'AVRO', compatibility: 'FULL', references: [] });
    expect(JSON.parse(placed.schema)).toEqual({
      type: 'record',
      name: 'OrderPlaced',
      namespace: 'acme.retail',
      fields: [
        { name: 'orderId', type: 'string' },
        { name: 'total', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
        { name: 'note', type: ['null', 'string'], default: null },
      ],
    });
    // An Avro message's plain key `{type: string}` is the Avro type "string".
    expect(planned['acme.retail.orders._public.order_placed-key']).toEqual({ subject: 'acme.retail.orders._public.order_placed-key', schemaType: 'AVRO', schema: '"string"', references: [], compatibility: 'FULL' });
    // A Multi Format Schema Object key keeps its own format, next to a JSON Schema payload.
    expect(planned['acme.retail.orders._protected.order_state-key']).toMatchObject({ schemaType: 'AVRO', schema: '"long"', compatibility: 'BACKWARD' });
    const state = planned['acme.retail.orders._protected.order_state-value'];
    expect(state.schemaType).toBe('JSON');
    expect(JSON.parse(state.schema)).toEqual({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        orderId: { type: 'string' },
        lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } } } },
      },
      required: ['orderId'],
    });
    expect(planned['acme.retail.orders._private.audit-value']).toMatchObject({ schemaType: 'PROTOBUF' });
    expect(planned['acme.retail.orders._private.audit-value'].schema).toContain('message Audit {\n  string order_id = 1;\n  string actor = 2;\n  int64 at = 3;\n}');
  });

  it("takes the stack's level where the channel sets none", async () => {
    const planned = await subjects('refs', { schemas: { compatibility: 'FORWARD_TRANSITIVE' } });
    expect(planned['acme.retail.orders._protected.order_state-value'].compatibility).toBe('FORWARD_TRANSITIVE');
    expect(planned['acme.retail.orders._public.order_placed-value'].compatibility).toBe('FULL');
  });

  it('warns about a recursive schema and a consumed topic\'s payload is not planned', async () => {
    const { diagnostics } = await loadMesh([`${FIXTURES}/refs`], { cwd });
    expect(diagnostics.map((d) => `${d.code} ${d.location?.file}:${d.location?.line}`)).toEqual([
      `MF-CONSUME-UNDECLARED ${FIXTURES}/refs/orders.yaml:51`,
      `MF-SCHEMA-UNSUPPORTED ${FIXTURES}/refs/orders.yaml:54`,
    ]);
  });

  it('reports problems at the line of the referenced file that has them', async () => {
    const { mesh, diagnostics } = await loadMesh([`${FIXTURES}/bad-refs`], { cwd });
    expect(mesh).toBeUndefined();
    // The missing `;` is placed after `= 1` on line 3; the bad default at its value.
    expect(diagnostics.map((d) => `${d.code} ${d.location?.file}:${d.location?.line}:${d.location?.col}: ${d.message}`)).toEqual([
      `MF-SCHEMA-INVALID ${FIXTURES}/bad-refs/schemas/audit.proto:3:22: invalid Protobuf schema: illegal token 'int64', ';' expected (after 1)`,
      `MF-SCHEMA-INVALID ${FIXTURES}/bad-refs/schemas/order-placed.avsc:6:49: the default "one" does not fit the field's type`,
      `MF-SCHEMA-INVALID ${FIXTURES}/bad-refs/schemas/order-state.json:5:45: invalid JSON Schema: properties.count.minimum must be number`,
    ]);
  });
});
