import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../../src/cli/io';
import { specProgress } from '../../src/cli/progress';
import { runCliWith } from './support';

function recorder(interactive: boolean): { io: Io; lines: string[] } {
  const lines: string[] = [];
  return { io: { out: () => undefined, err: () => undefined, interactive, status: (t) => lines.push(t) }, lines };
}

describe('progress of spec checking', () => {
  it('is drawn at most every 100 ms and cleared at the end', () => {
    const { io, lines } = recorder(true);
    let clock = 1_000;
    const progress = specProgress(io, () => clock)!;
    for (let i = 0; i < 300; i++) {
      progress(i, 300);
      clock += 1; // 1 ms per file: 300 ms in all
    }
    progress(300, 300);
    expect(lines).toEqual(['checking specs 0/300', 'checking specs 100/300', 'checking specs 200/300', '']);
  });

  it('is not shown when stderr is not a terminal, nor for a handful of files', () => {
    expect(specProgress(recorder(false).io)).toBeUndefined();
    const { io, lines } = recorder(true);
    const progress = specProgress(io)!;
    for (let i = 0; i <= 10; i++) progress(i, 10);
    expect(lines).toEqual([]);
  });

  describe('on a mesh of 60 specs', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'meshform-progress-'));
      const text = readFileSync(join(__dirname, '..', '..', 'specs', 'retail-orders.yaml'), 'utf8');
      for (let i = 0; i < 60; i++) writeFileSync(join(dir, `p${i}.yaml`), text.replace('urn:acme:retail:orders', `urn:acme:retail:orders${i}`));
      copyFileSync(join(__dirname, '..', '..', 'specs', 'finance-billing.yaml'), join(dir, 'finance-billing.yaml'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('validate draws progress on a terminal and clears it before the result', async () => {
      const run = await runCliWith({ interactive: true }, 'validate', dir);
      expect(run.code).toBe(0);
      expect(run.status[0]).toBe('checking specs 0/61');
      expect(run.status[run.status.length - 1]).toBe('');
      expect(run.stderr).toMatch(/^ok: 61 product\(s\) in 61 file\(s\)/m);
    });

    it('plan --json keeps stdout one JSON document while progress is drawn on stderr', async () => {
      const run = await runCliWith({ interactive: true }, 'plan', dir, '--stack', 'dev', '--json');
      expect(run.code).toBe(0);
      expect(run.status[0]).toBe('checking specs 0/61');
      expect(JSON.parse(run.stdout).products).toHaveLength(61);
    });

    it('validate --json draws nothing at all', async () => {
      const run = await runCliWith({ interactive: true }, 'validate', dir, '--json');
      expect(run.status).toEqual([]);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout).ok).toBe(true);
    });
  });
});
