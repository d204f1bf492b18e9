/** `meshform validate` on specs that rely on a mesh file: the effective settings, and where each came from. */
import { join } from 'node:path';
import { runCli } from './support';

const MESH = join('test', 'fixtures', 'specmesh');
const MESH_FILE = join(MESH, 'meshform.yaml');

describe('meshform validate with a meshform.yaml', () => {
  it('validates the unchanged SpecMesh specs with exit 0 and no warning', async () => {
    const run = await runCli('validate', MESH);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('ok: 9 product(s) in 9 file(s)');
  });

  it('--json shows every product\'s effective settings and the mesh-file line each came from', async () => {
    const run = await runCli('validate', MESH, '--json');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(Object.keys(doc.effective)).toEqual(doc.products);
    expect(doc.effective['sim.grid.load']).toEqual({
      owners: ['group:grid@sim.example'],
      domainType: 'source-aligned',
      storage: { bigquery: { layers: ['raw', 'cleaned', 'curated'] } },
      kafkaStreams: true,
      dialect: 'specmesh',
      // The SpecMesh fixture sets no client quotas anywhere.
      quotas: {},
      from: {
        owners: `${MESH_FILE}:4:3`,
        domainType: `${MESH_FILE}:11:3`,
        storage: `${MESH_FILE}:12:3`,
        kafkaStreams: `${MESH_FILE}:8:19`,
        dialect: `${MESH_FILE}:2:1`,
        quotas: 'default',
      },
    });
    expect(doc.effective['sim.billing.tariffs'].from.kafkaStreams).toBe('default');
  });
});
