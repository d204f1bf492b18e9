/**
 * The manual holds together: every relative link and #anchor of README.md, docs/*.md and the
 * packages' READMEs points at a file and heading that exist (anchors as GitHub makes them, by
 * github-slugger); docs/README.md indexes every page of docs/; the README stays a front door that
 * names the commands that set up a fresh clone; every diagnostic code meshform can print is
 * documented.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODES } from '../../src/vocabulary/codes';
import { anchorsOf, linksOf, manualPages, REPO } from './manual';

const PACKAGE_READMES = fs
  .readdirSync(path.join(REPO, 'packages'))
  .map((p) => `packages/${p}/README.md`)
  .filter((f) => fs.existsSync(path.join(REPO, f)));
const PAGES = [...manualPages(), ...PACKAGE_READMES];

const anchorCache = new Map<string, Set<string>>();
function anchors(file: string): Set<string> {
  if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(file));
  return anchorCache.get(file)!;
}

/** Why `href` on `page` does not resolve, or undefined when it does. */
function brokenLink(page: string, href: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return undefined; // https:, mailto: ...
  const [rawPath, anchor] = href.split('#', 2) as [string, string | undefined];
  const target = rawPath === '' ? path.join(REPO, page) : path.resolve(path.dirname(path.join(REPO, page)), decodeURIComponent(rawPath));
  if (path.relative(REPO, target).startsWith('..')) return `leaves the repository (${target})`;
  if (!fs.existsSync(target)) return `no file ${path.relative(REPO, target)}`;
  if (anchor === undefined) return undefined;
  if (!target.endsWith('.md')) return `an anchor into ${path.relative(REPO, target)}, which is not Markdown`;
  const known = anchors(target);
  return known.has(decodeURIComponent(anchor)) ? undefined : `no heading #${anchor} in ${path.relative(REPO, target)}`;
}

test.each(PAGES)('every relative link of %s resolves', (page) => {
  const broken = linksOf(page)
    .map((l) => ({ l, why: brokenLink(page, l.href) }))
    .filter((b) => b.why !== undefined)
    .map(({ l, why }) => `${l.page}:${l.line} (${l.href}): ${why}`);
  expect(broken).toEqual([]);
});

test('the link checker itself: a missing page, a missing heading and a heading that exists', () => {
  expect(brokenLink('docs/README.md', 'no-such-page.md')).toBe('no file docs/no-such-page.md');
  expect(brokenLink('docs/README.md', 'kafka.md#no-such-heading')).toBe('no heading #no-such-heading in docs/kafka.md');
  // "## `$ref` policy" and "## Channels = Kafka topics", as GitHub slugs them.
  expect(brokenLink('docs/README.md', 'spec-reference.md#ref-policy')).toBeUndefined();
  expect(brokenLink('docs/README.md', 'spec-reference.md#channels--kafka-topics')).toBeUndefined();
  expect(brokenLink('docs/README.md', '../../outside.md')).toMatch(/^leaves the repository/);
});

test('docs/README.md indexes every page of docs/', () => {
  const indexed = new Set(linksOf('docs/README.md').map((l) => l.href.split('#')[0]));
  const pages = manualPages()
    .filter((p) => p.startsWith('docs/') && p !== 'docs/README.md')
    .map((p) => path.basename(p));
  expect(pages.filter((p) => !indexed.has(p))).toEqual([]);
});

test('README.md is a front door of at most 300 lines that names how to set up a fresh clone', () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  expect(readme.split('\n').length).toBeLessThanOrEqual(300);
  for (const command of ['npm ci && npm start', 'npm test', 'npm run -s peers -- install', '.ci/run']) expect(readme).toContain(command);
  // The commands it names are the ones package.json and CI define.
  const scripts = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).scripts;
  expect(Object.keys(scripts)).toEqual(expect.arrayContaining(['start', 'test', 'peers']));
  expect(fs.readFileSync(path.join(REPO, '.ci', 'run'), 'utf8')).toContain('npm run -s peers -- install');
});

/** Every `MF-...` code written in src/ as a literal. */
function codesInSources(): Set<string> {
  const codes = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.tsx?$/.test(entry.name)) for (const m of fs.readFileSync(file, 'utf8').matchAll(/['"`](MF-[A-Z0-9]+(?:-[A-Z0-9]+)*)['"`]/g)) codes.add(m[1]);
    }
  };
  walk(path.join(REPO, 'src'));
  return codes;
}

test('every diagnostic code is documented: spec codes in docs/spec-reference.md, the rest in docs/', () => {
  const reference = fs.readFileSync(path.join(REPO, 'docs', 'spec-reference.md'), 'utf8');
  const docs = manualPages()
    .map((p) => fs.readFileSync(path.join(REPO, p), 'utf8'))
    .join('\n');
  const specCodes = Object.values(CODES).filter((c) => c.startsWith('MF-'));
  expect(specCodes.filter((c) => !reference.includes(`\`${c}\``))).toEqual([]);
  const all = [...codesInSources()];
  expect(all.length).toBeGreaterThan(specCodes.length);
  expect(all.filter((c) => !docs.includes(`\`${c}\``))).toEqual([]);
});
