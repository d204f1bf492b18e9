/**
 * Secrets by construction: what `meshform kafka` prints does not depend on the password at all.
 * Each scenario runs once with a password no message could contain by chance and once with each
 * hostile password (one letter, the host, the username, words the messages use); the output must be
 * the same text every time (the broker's address aside, since each run has its own broker), so
 * nothing was replaced in it, nothing can be learnt by comparing two runs, and the neutral password
 * itself never appears. The in-process test broker checks the SASL PLAIN login.
 */
import { join } from 'node:path';
import { startTestBroker, type TestBroker } from '@meshform/kafka-test-broker';
import { main } from '../../src/cli/main';
import { restoreEnvAfterAll, withEnv } from '../support/env';
import { runRecorded, type Run } from '../support/io';
import { HOSTILE, NEUTRAL } from '../support/secrets';

const SPECS = join(__dirname, 'specs', 'access');
const ENV = ['MESHFORM_KAFKA_BOOTSTRAP', 'MESHFORM_KAFKA_SASL_MECHANISM', 'MESHFORM_KAFKA_USERNAME', 'MESHFORM_KAFKA_PASSWORD'];
restoreEnvAfterAll(ENV);

interface Scenario {
  /** The users the broker knows (username -> password). */
  users: (password: string) => Record<string, string>;
  /** Who logs in. */
  username: string;
  /** Where to connect; the broker's own address unless given. */
  bootstrap?: string;
  argv: string[];
}

const ADMIN_ONLY = (password: string) => ({ admin: password });
const SCENARIOS: Record<string, Scenario> = {
  'a plan that works': { users: ADMIN_ONLY, username: 'admin', argv: ['plan', SPECS, '--stack', 'dev'] },
  'an apply that works': { users: ADMIN_ONLY, username: 'admin', argv: ['apply', SPECS, '--stack', 'dev', '--yes'] },
  'a wrong password': { users: () => ({ admin: 'the-right-one' }), username: 'admin', argv: ['plan', SPECS, '--stack', 'dev'] },
  'an unknown user': { users: ADMIN_ONLY, username: 'nobody', argv: ['plan', SPECS, '--stack', 'dev'] },
  'a user without rights': { users: (password) => ({ admin: 'admin-pw', ops: password }), username: 'ops', argv: ['apply', SPECS, '--stack', 'dev', '--yes'] },
  'an unreachable cluster': { users: ADMIN_ONLY, username: 'admin', bootstrap: '127.0.0.1:1', argv: ['plan', SPECS, '--stack', 'dev'] },
  'a bad bootstrap': { users: ADMIN_ONLY, username: 'admin', bootstrap: 'b@r:9092', argv: ['plan', SPECS, '--stack', 'dev'] },
  'export of a domain': { users: ADMIN_ONLY, username: 'admin', argv: ['export', '--domain', 'urn:acme:user'] },
};

async function run(scenario: Scenario, password: string): Promise<Run> {
  const broker: TestBroker = await startTestBroker({ brokers: 1, saslUsers: scenario.users(password), superUsers: ['User:admin'], authorizer: true });
  try {
    const bootstrap = scenario.bootstrap ?? broker.bootstrap;
    const result = await withEnv({ MESHFORM_KAFKA_SASL_MECHANISM: 'plain', MESHFORM_KAFKA_USERNAME: scenario.username, MESHFORM_KAFKA_PASSWORD: password }, () =>
      runRecorded((io) => main(['kafka', ...scenario.argv, '--bootstrap', bootstrap], io)),
    );
    // Each run has a broker of its own: its address is the one part of the output allowed to differ.
    const same = (text: string) => text.split(broker.bootstrap).join('<broker>');
    return { ...result, stdout: same(result.stdout), stderr: same(result.stderr) };
  } finally {
    await broker.stop();
  }
}

describe.each(Object.entries(SCENARIOS))('%s', (_name, scenario) => {
  let neutral: Run;
  beforeAll(async () => {
    neutral = await run(scenario, NEUTRAL);
  });

  it('prints something, and never the password', () => {
    expect(`${neutral.stdout}${neutral.stderr}`.length).toBeGreaterThan(0);
    expect(`${neutral.stdout}\n${neutral.stderr}`).not.toContain(NEUTRAL);
  });

  it.each(HOSTILE)('prints the same with the password %j', async (password) => {
    const hostile = await run(scenario, password);
    expect({ code: hostile.code, stdout: hostile.stdout, stderr: hostile.stderr }).toEqual({ code: neutral.code, stdout: neutral.stdout, stderr: neutral.stderr });
  });
});
