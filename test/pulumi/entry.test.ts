/**
 * bin/pulumi-program.js, the file Pulumi.yaml names as `main`, run as `pulumi up` runs it: plain
 * node on the compiled package (it loads `meshform/pulumi` by its own package name), config from
 * the runtime, outputs exported. A separate node process, so nothing of jest's TypeScript
 * transform helps it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
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
  const outputs = await require(process.env.TEST_ENTRY);
  const products = Object.keys(outputs.products);
  await new Promise((r) => setTimeout(r, 300));
  process.stdout.write(JSON.stringify({ products, types: [...new Set(types)].sort() }));
});
`;

const ENTRY = path.join(ROOT, 'bin', 'pulumi-program.js');
const SPECS = fs.readdirSync(path.join(ROOT, 'specs')).filter((f) => /\.(ya?ml|json)$/.test(f));

/** Runs the entry as the runner does: in `cwd`, with `rootDirectory` as the engine's project root (or none). */
function runEntry(cwd: string, rootDirectory?: string): { products: string[]; types: string[] } {
  const env: NodeJS.ProcessEnv = { ...process.env, TEST_CONFIG: JSON.stringify(pulumiConfigOf('dev')), TEST_ENTRY: ENTRY };
  delete env.PULUMI_NODEJS_ROOT_DIRECTORY;
  if (rootDirectory) env.PULUMI_NODEJS_ROOT_DIRECTORY = rootDirectory;
  // The runner resolves @pulumi/pulumi from the program; -e resolves from cwd, so point it at the checkout's.
  env.NODE_PATH = path.join(ROOT, 'node_modules');
  return JSON.parse(execFileSync(process.execPath, ['-e', SCRIPT], { cwd, env, encoding: 'utf8' })) as { products: string[]; types: string[] };
}

test('pulumi-program.js runs the compiled program under plain node and exports per-product outputs', () => {
  expect(parse(fs.readFileSync(path.join(ROOT, 'Pulumi.yaml'), 'utf8')).main).toBe('bin/pulumi-program.js');
  const { products, types } = runEntry(ROOT);
  // One product per spec file of the example mesh.
  expect(products).toHaveLength(SPECS.length);
  expect(types).toEqual(
    expect.arrayContaining([
      'gcp:bigquery/dataset:Dataset',
      'gcp:serviceaccount/account:Account',
      'meshform:mesh:DataProduct',
    ]),
  );
});

describe('specs are found from the project folder (where Pulumi.yaml is), whatever the working directory', () => {
  // The engine runs a program whose `main` is a file from that file's folder: bin/ here.
  test('from main\'s folder (bin/), with the engine\'s root directory', () => {
    expect(runEntry(path.join(ROOT, 'bin'), ROOT).products).toHaveLength(SPECS.length);
  });

  test('from main\'s folder (bin/), without it: the nearest folder upwards with Pulumi.yaml', () => {
    expect(runEntry(path.join(ROOT, 'bin')).products).toHaveLength(SPECS.length);
  });

  test('from a folder outside the project, with the engine\'s root directory', () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-entry-'));
    try {
      expect(runEntry(elsewhere, ROOT).products).toHaveLength(SPECS.length);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
