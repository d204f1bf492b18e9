/**
 * @asyncapi/parser is a development dependency (the differential tests' oracle): meshform reads
 * specs with its own document model (src/reading/document.ts), so nothing under src/ may load the
 * parser or its internals, and a product repository's install does not carry it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

test('no module under src/ imports or requires @asyncapi/parser (or its cjs/* internals)', () => {
  const loads = sourceFiles(join(ROOT, 'src')).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"](@asyncapi\/parser(?:\/[^'"]*)?)['"]/g)].map((m) => `${relative(ROOT, file)}: ${m[1]}`),
  );
  expect(loads).toEqual([]);
});

test('@asyncapi/parser is a development dependency only', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  expect({ dependency: pkg.dependencies?.['@asyncapi/parser'], dev: typeof pkg.devDependencies?.['@asyncapi/parser'] }).toEqual({ dependency: undefined, dev: 'string' });
});
