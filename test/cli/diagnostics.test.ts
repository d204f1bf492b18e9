/** What `meshform validate` says about the mistakes people make, as they read it (recorded, reviewed by hand). */
import { join } from 'node:path';
import { expectRecorded } from '../support/recorded';
import { runCli } from './support';

describe('meshform validate on a folder of typical mistakes', () => {
  it('one line per mistake, at file:line:col inside the line, with the nearest valid name; exit 1', async () => {
    const run = await runCli('validate', join('test', 'cli', 'fixtures', 'typos'));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expectRecorded(join(__dirname, 'recorded', 'validate', 'typos.txt'), run.stderr);
    // Each diagnostic points inside its line.
    const { readFileSync } = await import('node:fs');
    for (const line of run.stderr.split('\n').slice(0, -1)) {
      const [, file, at, col] = /^(.+?):(\d+):(\d+): /.exec(line)!;
      const text = readFileSync(file, 'utf8').split('\n')[Number(at) - 1];
      expect(Number(col)).toBeLessThanOrEqual(text.length);
    }
  });
});
