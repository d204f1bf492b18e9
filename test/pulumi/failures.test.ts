/**
 * A broken spec or stack setting fails the update with meshform's diagnostics, as one plain
 * message (pulumi.RunError: no stack trace), before any resource is registered.
 */
import * as pulumi from '@pulumi/pulumi';
import { pulumiConfigOf, ROOT, settle, useMocks } from './support/harness';

type Program = typeof import('../../src/adapters/pulumi/program');

async function failure(config: Record<string, string>): Promise<{ error: unknown; registered: number }> {
  const registrations = await useMocks('dev');
  const program: Program = await import('../../src/adapters/pulumi/program');
  let error: unknown;
  try {
    await program.meshformProgram({ stackName: 'dev', config, root: ROOT, registerKafka: null });
  } catch (e) {
    error = e;
  }
  await settle(registrations);
  return { error, registered: registrations.length };
}

test('invalid specs: the update fails with the spec diagnostics and registers nothing', async () => {
  const { error, registered } = await failure({ ...pulumiConfigOf('dev'), 'meshform:specs': 'test/fixtures/pulumi/invalid-spec' });
  expect(pulumi.RunError.isInstance(error)).toBe(true);
  const message = (error as Error).message;
  expect(message).toMatch(/^meshform: 1 error\(s\); no resources were changed$/m);
  expect(message).toContain('test/fixtures/pulumi/invalid-spec/missing-owners.yaml:2:1: error MF-META-MISSING:');
  expect(message).not.toMatch(/\n\s+at /);
  expect(registered).toBe(0);
});

test('invalid stack settings: the update fails with the stack diagnostics and registers nothing', async () => {
  const { error, registered } = await failure({ ...pulumiConfigOf('dev'), 'meshform:gcpProject': 'Not_A_Project' });
  expect(pulumi.RunError.isInstance(error)).toBe(true);
  expect((error as Error).message).toContain("error MF-STACK-VALUE: meshform:gcpProject: 'Not_A_Project' is not a GCP project id");
  expect(registered).toBe(0);
});

test('a secret setting never appears in the failure message', async () => {
  const config = { ...pulumiConfigOf('dev'), 'meshform:kafkaPassword': 's3cr3t-value', 'meshform:gcpProject': 'Bad' };
  const { error } = await failure(config);
  expect((error as Error).message).not.toContain('s3cr3t-value');
});
