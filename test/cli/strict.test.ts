/** `--strict`: a warning fails validate, plan and kafka plan (exit 1), for CI that wants no warnings. */
import { join } from 'node:path';
import { runCli } from './support';

const WARNING_ONLY = join('test', 'fixtures', 'specs', 'invalid', 'grant-on-public-topic.yaml');
const WARNING = `${WARNING_ONLY}:12:15: warning MF-GRANT-PUBLIC: grant to urn:acme:retail:orders2 has no effect: acme.retail.orders._public.order_placed is public, every product may read it`;

describe('--strict', () => {
  it('validate: a warning alone passes (exit 0), and fails with --strict (exit 1)', async () => {
    const lenient = await runCli('validate', WARNING_ONLY);
    expect(lenient).toMatchObject({ code: 0, stderr: `${WARNING}\nok: 1 product(s) in 1 file(s), 1 warning(s)` });
    const strict = await runCli('validate', WARNING_ONLY, '--strict');
    expect(strict).toMatchObject({ code: 1, stderr: `${WARNING}\n0 error(s), 1 warning(s); --strict: warnings fail` });
  });

  it('validate --strict --json: ok is false, the warning is listed', async () => {
    const run = await runCli('validate', WARNING_ONLY, '--strict', '--json');
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d: { code: string; severity: string }) => [d.code, d.severity])).toEqual([['MF-GRANT-PUBLIC', 'warning']]);
  });

  it('plan: prints no plan and exits 1 on a warning; without --strict it plans', async () => {
    const strict = await runCli('plan', WARNING_ONLY, '--stack', 'dev', '--strict');
    expect(strict).toMatchObject({ code: 1, stdout: '', stderr: `${WARNING}\n0 error(s), 1 warning(s); --strict: warnings fail` });
    const lenient = await runCli('plan', WARNING_ONLY, '--stack', 'dev');
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/^Plan for stack 'dev'/);
  });

  it('the example specs have no warning: --strict passes them', async () => {
    expect((await runCli('validate', '--strict')).code).toBe(0);
    expect((await runCli('plan', '--stack', 'dev', '--strict')).code).toBe(0);
  });
});
