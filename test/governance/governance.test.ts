/**
 * Federated governance: rules a mesh file names, run where the specs are read. Built-in rules'
 * findings (code, place, severity) are written by hand from the fixtures; Spectral rulesets are
 * also run the way Spectral's own CLI loads them (@stoplight/spectral-ruleset-migrator turns the
 * YAML into the JavaScript ruleset Spectral runs), and the findings must be the same.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Document, Ruleset, Spectral } from '@stoplight/spectral-core';
import { Yaml } from '@stoplight/spectral-parsers';
import { migrateRuleset } from '@stoplight/spectral-ruleset-migrator';
import { loadMesh } from '../../src/model';
import { runCli } from '../cli/support';
import { tempTree } from '../schemas/support';

const cwd = path.resolve(__dirname, '../..');
const FIXTURES = 'test/fixtures/governance';
const line = (d: { code: string; severity: string; location?: { file: string; line: number; col: number } }) => `${d.location?.file}:${d.location?.line}:${d.location?.col} ${d.severity} ${d.code}`;

describe('governance rules from the mesh file', () => {
  it('reports every built-in rule and the ruleset rules at their place, with the mesh file\'s severities', async () => {
    const { diagnostics, mesh, rules } = await loadMesh([`${FIXTURES}/rules`], { cwd });
    const orders = `${FIXTURES}/rules/orders.yaml`;
    expect(diagnostics.map(line)).toEqual([
      `${orders}:4:23 error owners-groups`, // user:alice@acme.com
      `${orders}:7:14 warning topic-description`, // placed has no description (warn)
      `${orders}:9:59 error retention-bounds`, // retention.ms 90 days > P30D
      `${orders}:15:13 error pii-visibility`, // email: x-pii on a public topic
      `${orders}:17:14 error lowercase-address`, // _public.Raw_Events (ruleset)
      `${orders}:17:14 error public-topic-schema`, // raw has no payload
      `${orders}:21:9 warning channel-title`, // state has no title: error in the ruleset, warn in the mesh file
    ]);
    // info-contact is off in the mesh file: neither spec has info.contact, neither is reported.
    expect(diagnostics.every((d) => d.rule === d.code && d.product === 'acme.orders')).toBe(true);
    expect(diagnostics.find((d) => d.code === 'retention-bounds')?.message).toBe("acme.orders._public.placed: retention.ms 7776000000 (90 day(s)), more than the mesh's maximum P30D");
    expect(mesh).toBeUndefined();
    expect(rules).toEqual({
      'acme.billing': ['channel-title', 'lowercase-address', 'owners-groups', 'pii-visibility', 'public-topic-schema', 'retention-bounds', 'topic-description'],
      'acme.orders': ['channel-title', 'lowercase-address', 'owners-groups', 'pii-visibility', 'public-topic-schema', 'retention-bounds', 'topic-description'],
    });
  });

  it('reports unknown rules, options and severities in the mesh file with what was meant', async () => {
    const { diagnostics } = await loadMesh([`${FIXTURES}/config-errors`], { cwd });
    const file = `${FIXTURES}/config-errors/meshform.yaml`;
    expect(diagnostics.map((d) => `${line(d)} ${d.message.split(';')[0]}`)).toEqual([
      `${file}:4:3 error MF-MESHFILE-INVALID unknown rule "topic-descripton" (did you mean "topic-description"?)`,
      `${file}:5:3 error MF-MESHFILE-INVALID rule retention-bounds: retention-bounds needs min, max or both (ISO-8601 durations such as P1D)`,
      `${file}:5:43 error MF-MESHFILE-INVALID rule retention-bounds has no option "mn"`,
      `${file}:6:18 error MF-MESHFILE-INVALID rule owners-groups: the severity must be one of off, warn, error, got "fatal"`,
      `${file}:7:12 error MF-RULESET cannot read the ruleset ${FIXTURES}/config-errors/governance/missing.yaml: no such file`,
    ]);
  });

  it('reports a ruleset\'s mistakes in the ruleset file, and runs none of its rules', async () => {
    const { diagnostics } = await loadMesh([`${FIXTURES}/ruleset-errors`], { cwd });
    const file = `${FIXTURES}/ruleset-errors/acme.spectral.yaml`;
    expect(diagnostics.map((d) => `${line(d)} ${d.message.split(';')[0]}`)).toEqual([
      `${file}:1:11 warning MF-RULESET spectral:asyncapi is not run: meshform checks AsyncAPI documents itself (the same verdicts as @asyncapi/parser)`,
      `${file}:2:17 error MF-RULESET unknown format "aas4" (did you mean aas2?)`,
      `${file}:6:42 error MF-RULESET rule info-description: unknown function "truthyy" (did you mean "truthy"?)`,
    ]);
  });

  it('runs a custom function from the ruleset\'s functionsDir, at the severity the mesh file sets', async () => {
    const { diagnostics } = await loadMesh([`${FIXTURES}/custom-function`], { cwd });
    expect(diagnostics.map((d) => `${line(d)}: ${d.message}`)).toEqual([
      `${FIXTURES}/custom-function/billing.yaml:7:12 error title-case: "entries" in "Ledger entries" should start with a capital letter`,
    ]);
  });

  it.each(['rules', 'custom-function'])('%s: ruleset findings are those of Spectral run with its own ruleset loader', async (name) => {
    const folder = path.join(cwd, FIXTURES, name);
    const meshFile = fs.readFileSync(path.join(folder, 'meshform.yaml'), 'utf8');
    const rulesetFile = path.join(folder, /rulesets: \[(.+)\]/.exec(meshFile)![1]);
    const off = [...meshFile.matchAll(/^ {2}([\w-]+): off$/gm)].map((m) => m[1]);
    // Spectral CLI's path: the migrator writes the ruleset as a CommonJS module, which is then run.
    const code = await migrateRuleset(rulesetFile, { format: 'commonjs', fs: fs as never });
    const module = { exports: {} as unknown };
    new Function('module', 'exports', 'require', code)(module, module.exports, createRequire(rulesetFile));
    const spectral = new Spectral();
    spectral.setRuleset(new Ruleset(module.exports as never, { source: rulesetFile }));

    const expected: string[] = [];
    for (const spec of fs.readdirSync(folder).filter((f) => f.endsWith('.yaml') && f !== 'meshform.yaml')) {
      const file = path.join(folder, spec);
      for (const r of await spectral.run(new Document(fs.readFileSync(file, 'utf8'), Yaml, file))) {
        if (!off.includes(String(r.code))) expected.push(`${path.relative(cwd, file)}:${r.range.start.line + 1}:${r.range.start.character + 1} ${r.code}: ${r.message}`);
      }
    }
    const { diagnostics } = await loadMesh([folder], { cwd });
    const rulesetRules = Object.keys((module.exports as { rules: Record<string, unknown> }).rules);
    const ours = diagnostics.filter((d) => rulesetRules.includes(d.code)).map((d) => `${d.location?.file}:${d.location?.line}:${d.location?.col} ${d.code}: ${d.message}`);
    expect(expected.length).toBeGreaterThan(0);
    expect(ours.sort()).toEqual(expected.sort());
  });

  it('counts in validate like any diagnostic: errors exit 1, warnings alone exit 0', async () => {
    const failing = await runCli('validate', `${FIXTURES}/rules`);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain(`${FIXTURES}/rules/orders.yaml:9:59: error retention-bounds: `);
    const t = tempTree({
      'meshform.yaml': 'owners:\n  acme: [group:platform@acme.com]\nrules:\n  topic-description: warn\n',
      'billing.yaml': fs.readFileSync(`${FIXTURES}/custom-function/billing.yaml`, 'utf8'),
    });
    try {
      const warned = await runCli('validate', t.dir);
      expect(warned.code).toBe(0);
      expect(warned.stderr).toMatch(/billing\.yaml:6:14: warning topic-description: topic acme\.billing\._private\.ledger has no description/);
    } finally {
      t.cleanup();
    }
  });

  it('loads Spectral only for a mesh that names a ruleset, so validation keeps its speed otherwise', () => {
    // A fresh process with the built package: which of Spectral's modules Node loaded after each read.
    const script = [
      "const { loadMesh } = require('./dist/src/index.js');",
      "const spectral = () => Object.keys(require.cache).filter((k) => /@stoplight[\\\\/]spectral-(core|functions|ref-resolver)[\\\\/]/.test(k)).length;",
      '(async () => {',
      "  const plain = await loadMesh(['specs']);",
      '  const before = spectral();',
      `  await loadMesh(['${FIXTURES}/rules']);`,
      '  console.log(JSON.stringify({ products: plain.mesh.products.length, before, after: spectral() > 0 }));',
      '})();',
    ].join('\n');
    const run = spawnSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ products: 11, before: 0, after: true });
  });

  it('the catalog shows each product\'s standing', async () => {
    const out = path.join(tempTree().dir, 'site');
    const run = await runCli('catalog', `${FIXTURES}/rules`, '--out', out);
    expect(run.code).toBe(1);
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    const card = (id: string) => index.slice(index.indexOf(`data-product="${id}"`), index.indexOf('</li>', index.indexOf(`data-product="${id}"`)));
    expect(card('acme.orders')).toContain('breaks 5 rules');
    expect(card('acme.billing')).toContain('keeps every rule');
    const page = fs.readFileSync(path.join(out, 'products', 'acme.orders.html'), 'utf8');
    const standing = page.slice(page.indexOf('id="standing"'));
    expect(standing).toContain('The mesh holds Orders to 7 rules');
    for (const rule of ['owners-groups', 'topic-description', 'retention-bounds', 'pii-visibility', 'lowercase-address', 'public-topic-schema', 'channel-title']) {
      expect(standing).toContain(`<code>${rule}</code>`);
    }
    expect(standing).toContain(`${FIXTURES}/rules/orders.yaml:15:13`);
  });
});
