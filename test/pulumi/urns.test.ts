/**
 * The URNs of the example stacks are Pulumi's identity of every resource: a changed URN is a
 * delete and a create in every user's stack. They are kept in reviewed fixtures,
 * test/pulumi/fixtures/urns/<stack>.txt (one URN a line, sorted).
 *
 * When the example specs change (a product added, a channel renamed), regenerate and review:
 *   MESHFORM_UPDATE_URNS=1 npx jest test/pulumi/urns.test.ts && git diff test/pulumi/fixtures/urns
 * A URN that changes for an existing resource needs an `aliases` entry in the program, not a new fixture.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pulumiConfigOf, ROOT, settle, useMocks } from './support/harness';

const FIXTURES = path.join(__dirname, 'fixtures', 'urns');
const UPDATE = process.env.MESHFORM_UPDATE_URNS === '1';

type Program = typeof import('../../src/adapters/pulumi/program');

describe.each(['dev', 'staging', 'prod'])('stack %s', (stack) => {
  test('registers exactly the reviewed URNs', async () => {
    const registrations = await useMocks(stack);
    const program: Program = await import('../../src/adapters/pulumi/program');
    await program.meshformProgram({ stackName: stack, config: pulumiConfigOf(stack), root: ROOT });
    await settle(registrations);
    const urns = registrations.map((r) => r.urn).sort();
    const file = path.join(FIXTURES, `${stack}.txt`);
    if (UPDATE) fs.writeFileSync(file, `${urns.join('\n')}\n`);
    expect(fs.existsSync(file)).toBe(true);
    const reviewed = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(urns).toEqual(reviewed);
  });
});
