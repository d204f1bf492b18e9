import { readFileSync } from 'fs';
import { parseArgs } from 'util';
import { TestBrokerOptions, startTestBroker } from './index';

const USAGE = 'usage: kafka-test-broker --port <n> [--host 127.0.0.1] [--brokers N] [--sasl-users users.json] [--super-users User:admin,...] [--authorizer]';

class UsageError extends Error {}

function integer(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${text}'`);
  return n;
}

/** `users.json` is `{"name": "password"}`; its passwords are never echoed in errors. */
function readUsers(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read --sasl-users ${path}: ${e instanceof SyntaxError ? 'not valid JSON' : (e as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new UsageError(`--sasl-users ${path} must be a JSON object of user name to password string`);
  }
  return parsed as Record<string, string>;
}

export function parseOptions(argv: string[]): TestBrokerOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        brokers: { type: 'string' },
        'sasl-users': { type: 'string' },
        'super-users': { type: 'string' },
        authorizer: { type: 'boolean' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  if (values.port === undefined) throw new UsageError('--port is required (0 = any free port)');
  const options: TestBrokerOptions = {
    port: integer('port', values.port, 0, 65535),
    host: values.host ?? '127.0.0.1',
    brokers: values.brokers === undefined ? 1 : integer('brokers', values.brokers, 1, 64),
  };
  if (values['sasl-users'] !== undefined) options.saslUsers = readUsers(values['sasl-users']);
  if (values['super-users'] !== undefined) options.superUsers = values['super-users'].split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (values.authorizer || options.saslUsers) options.authorizer = true;
  return options;
}

/**
 * Prints `listening on <host>:<port>` when ready, serves until SIGTERM/SIGINT, then prints the
 * request counts as one JSON line. Exit code 0, or 2 for bad arguments / a port that cannot be bound.
 */
export async function main(argv: string[]): Promise<number> {
  let options: TestBrokerOptions;
  try {
    options = parseOptions(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`kafka-test-broker: ${e.message} (${USAGE})\n`);
    return 2;
  }
  let broker;
  try {
    broker = await startTestBroker(options);
  } catch (e) {
    process.stderr.write(`kafka-test-broker: cannot listen on ${options.host}:${options.port}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  process.stdout.write(`listening on ${broker.bootstrap}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await broker.stop();
  process.stdout.write(`${JSON.stringify(broker.stats())}\n`);
  return 0;
}
