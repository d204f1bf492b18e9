/**
 * bin/pulumi-program.js, the file Pulumi.yaml names as `main`, run as `pulumi up` runs it: plain
 * node on the compiled package (it loads `meshform/pulumi` by its own package name), config from
 * the runtime, outputs exported. A separate node process, so nothing of jest's TypeScript
 * transform helps it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { pulumiConfigOf, ROOT } from './support/harness';

const SCRIPT = `
const pulumi = require('@pulumi/pulumi');
const types = [];
pulumi.runtime.setMocks({
  newResource: (a) => { types.push(a.type); return { id: a.name + '-id', state: a.inputs }; },
  call: (a) => a.inputs,
}, 'meshform', 'dev', false).then(async () => {
  pulumi.runtime.setAllConfig(JSON.parse(process.env.TEST_CONFIG));
  const outputs = await require('./bin/pulumi-program.js');
  const products = Object.keys(outputs.products);
  await new Promise((r) => setTimeout(r, 300));
  process.stdout.write(JSON.stringify({ products, types: [...new Set(types)].sort() }));
});
`;

test('pulumi-program.js runs the compiled program under plain node and exports per-product outputs', () => {
  expect(parse(fs.readFileSync(path.join(ROOT, 'Pulumi.yaml'), 'utf8')).main).toBe('bin/pulumi-program.js');
  const out = execFileSync(process.execPath, ['-e', SCRIPT], {
    cwd: ROOT,
    env: { ...process.env, TEST_CONFIG: JSON.stringify(pulumiConfigOf('dev')) },
    encoding: 'utf8',
  });
  const { products, types } = JSON.parse(out) as { products: string[]; types: string[] };
  expect(products.length).toBeGreaterThanOrEqual(4);
  expect(types).toEqual(
    expect.arrayContaining([
      'gcp:bigquery/dataset:Dataset',
      'gcp:serviceaccount/account:Account',
      'meshform:mesh:DataProduct',
    ]),
  );
});
