/** Spec -> mesh -> plan throughput against @asyncapi/parser's default validating parse. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasErrors } from '../src/vocabulary/diagnostics';
import { loadMesh } from '../src/model';
import { validatorCacheStats } from '../src/reading/asyncapi/validator-cache';
import { planMesh } from '../src/plan';
import { loadStack } from '../src/stack/load';
import { generateMesh } from './generate';

const PRODUCTS = 1000;
const CHANNELS = 10;
const SAMPLE = 20;

const mb = (kb: number) => (kb / 1024).toFixed(0);

/**
 * What governance costs: the same specs read again (warm) without rules, with the five built-in
 * rules, and with them plus a two-rule Spectral ruleset (Spectral runs once per spec).
 */
async function benchGovernance(dir: string): Promise<void> {
  const timed = async () => {
    const t0 = process.hrtime.bigint();
    const result = await loadMesh([dir]);
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, findings: result.diagnostics.filter((d) => d.rule !== undefined).length };
  };
  const plain = await timed();
  const builtIns = ['rules:', '  topic-description: warn', '  public-topic-schema: warn', '  retention-bounds: {severity: warn, max: P30D}', '  owners-groups: warn', '  pii-visibility: warn'];
  writeFileSync(join(dir, 'meshform.yaml'), `${builtIns.join('\n')}\n`);
  const withBuiltIns = await timed();
  writeFileSync(join(dir, 'governance.spectral.yaml'), 'rules:\n  info-description: {severity: warn, given: $.info, then: {field: description, function: truthy}}\n  channel-title: {severity: warn, given: "$.channels[*]", then: {field: title, function: truthy}}\n');
  writeFileSync(join(dir, 'meshform.yaml'), `${builtIns.join('\n')}\nrulesets: [governance.spectral.yaml]\n`);
  const withRuleset = await timed();
  rmSync(join(dir, 'meshform.yaml'));
  console.log('== governance (the same specs, read again) ==');
  console.log(`no rules:              ${plain.ms.toFixed(0)} ms`);
  console.log(`5 built-in rules:      ${withBuiltIns.ms.toFixed(0)} ms (+${(withBuiltIns.ms - plain.ms).toFixed(0)} ms, ${withBuiltIns.findings} findings)`);
  console.log(`+ a Spectral ruleset:  ${withRuleset.ms.toFixed(0)} ms (+${(withRuleset.ms - plain.ms).toFixed(0)} ms, ${((withRuleset.ms - withBuiltIns.ms) / PRODUCTS).toFixed(1)} ms a spec for Spectral, ${withRuleset.findings} findings)`);
}

export async function benchMesh(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'meshform-bench-'));
  try {
    const { files } = generateMesh(dir, PRODUCTS, CHANNELS);
    const { stack, diagnostics: stackDiagnostics } = loadStack('dev', { root: join(__dirname, '..') });
    if (!stack) throw new Error(`bench: stack dev does not load: ${JSON.stringify(stackDiagnostics)}`);

    const t0 = process.hrtime.bigint();
    const result = await loadMesh([dir]);
    const t1 = process.hrtime.bigint();
    if (!result.mesh || hasErrors(result.diagnostics)) {
      throw new Error(`bench: generated specs do not validate: ${JSON.stringify(result.diagnostics.slice(0, 5))}`);
    }
    const plan = planMesh(result.mesh, stack);
    const t2 = process.hrtime.bigint();
    const peakKb = process.resourceUsage().maxRSS;

    const validateMs = Number(t1 - t0) / 1e6;
    const planMs = Number(t2 - t1) / 1e6;
    const totalMs = validateMs + planMs;
    const perSpecMs = totalMs / PRODUCTS;

    // The default parser (full Spectral ruleset) on a sample of the same files, in the same process, after.
    const { Parser } = await import('@asyncapi/parser');
    const parser = new Parser();
    const step = Math.floor(PRODUCTS / SAMPLE);
    const sample = files.filter((_, i) => i % step === 0).slice(0, SAMPLE);
    const p0 = process.hrtime.bigint();
    let rejected = 0;
    for (const file of sample) {
      const { document } = await parser.parse(readFileSync(file, 'utf8'), { source: file });
      if (!document) rejected++;
    }
    const defaultPerSpecMs = Number(process.hrtime.bigint() - p0) / 1e6 / sample.length;

    const ratio = defaultPerSpecMs / perSpecMs;
    console.log('== meshform validate + plan ==');
    console.log(`specs:                 ${PRODUCTS} x ${CHANNELS} channels (${result.mesh.products.length} products, ${plan.resources.length} resources)`);
    console.log(`validate (load+check): ${validateMs.toFixed(0)} ms`);
    const cache = validatorCacheStats();
    // Compiled validators are kept in node_modules/.cache/meshform: say whether this run paid for compiling them.
    console.log(`  AsyncAPI validators: ${cache.compiled} compiled (${cache.compileMs.toFixed(0)} ms), ${cache.loaded} loaded from the cache`);
    console.log(`plan:                  ${planMs.toFixed(0)} ms`);
    console.log(`total:                 ${totalMs.toFixed(0)} ms  (target <= 5000 ms) ${totalMs <= 5000 ? 'OK' : 'MISSED'}`);
    console.log(`per spec:              ${perSpecMs.toFixed(2)} ms`);
    console.log(`default parser:        ${defaultPerSpecMs.toFixed(1)} ms/spec on a sample of ${sample.length} (${rejected} rejected)`);
    console.log(`speed-up:              ${ratio.toFixed(0)}x  (target >= 50x) ${ratio >= 50 ? 'OK' : 'MISSED'}`);
    console.log(`peak RSS:              ${mb(peakKb)} MB  (target <= 500 MB) ${peakKb / 1024 <= 500 ? 'OK' : 'MISSED'}`);
    if (rejected) throw new Error('bench: the default parser rejected generated specs that meshform accepted');
    await benchGovernance(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
