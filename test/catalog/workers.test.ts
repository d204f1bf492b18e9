/**
 * The compiled CLI lays product graphs out in worker threads (src/parallel.ts, piscina): the site
 * it writes is byte for byte the one written with every layout in the main thread
 * (`MESHFORM_WORKERS=0`, the path the page and browser tests check), the threads really ran
 * (counted by a preload that wraps node's own Worker class), and the process ends when the
 * pages are written (the pool is closed, nothing keeps it alive).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { COUNT_PRELOAD } from '../support/threads';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'meshform.js');

function filesUnder(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    files.set(relative(dir, file), readFileSync(file));
  }
  return files;
}

describe('meshform catalog with layout threads', () => {
  let temp: string;
  beforeAll(() => {
    temp = mkdtempSync(join(tmpdir(), 'meshform-catalog-workers-'));
    writeFileSync(join(temp, 'count.cjs'), COUNT_PRELOAD);
  });
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  const catalog = (workers: string, out: string) => {
    const countFile = join(temp, `count-${workers}`);
    const run = spawnSync(process.execPath, ['--require', join(temp, 'count.cjs'), BIN, 'catalog', 'specs', '--out', out], {
      cwd: ROOT,
      env: { ...process.env, MESHFORM_WORKERS: workers, COUNT_FILE: countFile },
      encoding: 'utf8',
      // A pool left open would keep the process alive for its idle timeout (60 s).
      timeout: 45_000,
    });
    return { status: run.status, signal: run.signal, stderr: run.stderr, threads: Number(readFileSync(countFile, 'utf8')) };
  };

  it('writes the same site as the main thread alone, and ends', () => {
    const threaded = catalog('2', join(temp, 'threaded'));
    const alone = catalog('0', join(temp, 'alone'));
    expect({ status: threaded.status, signal: threaded.signal }).toEqual({ status: 0, signal: null });
    expect({ status: alone.status, signal: alone.signal }).toEqual({ status: 0, signal: null });
    // The example mesh: 11 products, so 11 product pages among the 15 (index, lineage, access, problems).
    expect(threaded.stderr).toContain('wrote 15 pages for 11 product(s)');
    expect(threaded.threads).toBeGreaterThanOrEqual(1);
    expect(alone.threads).toBe(0);
    const a = filesUnder(join(temp, 'threaded'));
    const b = filesUnder(join(temp, 'alone'));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    const differing = [...a].filter(([file, content]) => !content.equals(b.get(file)!)).map(([file]) => file);
    expect(differing).toEqual([]);
  }, 120_000);
});
