/**
 * How meshform talks to a registry, seen from a local HTTP server (the raw requests are the
 * oracle): basic auth, refused credentials, an unreachable registry, no registry at all.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { runCli } from '../cli/support';
import { withEnv } from '../support/env';
import { freePort } from '../../src/local-host';
import { avroRecord, productSpec, tempTree, type TempTree } from './support';
import { HOSTILE, NEUTRAL } from '../support/secrets';

let server: Server;
let url: string;
let seen: Array<{ method?: string; url?: string; authorization?: string }>;
/** The registry's answer: `body` as JSON, or `text` as it is (a proxy's page), with extra `headers`. */
let answer: (req: IncomingMessage) => { status: number; body?: unknown; text?: string; headers?: Record<string, string> };
let tree: TempTree;

beforeAll(async () => {
  tree = tempTree({
    'orders.yaml': productSpec({ id: 'acme.c1.orders' }),
    'schemas/placed.avsc': avroRecord('Placed', [{ name: 'id', type: 'string' }]),
  });
  server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
    req.resume();
    req.on('end', () => {
      const { status, body, text, headers } = answer(req);
      res.writeHead(status, { 'Content-Type': text === undefined ? 'application/vnd.schemaregistry.v1+json' : 'text/html', ...headers });
      res.end(text ?? JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/apis/ccompat/v7`;
});
beforeEach(() => {
  seen = [];
});
afterAll(async () => {
  tree.cleanup();
  await new Promise((resolve) => server.close(resolve));
});

const noEnv = { MESHFORM_SCHEMA_REGISTRY_URL: undefined, MESHFORM_SCHEMA_REGISTRY_USERNAME: undefined, MESHFORM_SCHEMA_REGISTRY_PASSWORD: undefined };

describe('the schema registry connection', () => {
  it('sends basic auth from the environment and never prints the password', async () => {
    answer = (req) => (req.url === '/apis/ccompat/v7/subjects' ? { status: 200, body: [] } : { status: 404, body: { error_code: 40401, message: 'not found' } });
    const run = await withEnv({ ...noEnv, MESHFORM_SCHEMA_REGISTRY_USERNAME: 'svc', MESHFORM_SCHEMA_REGISTRY_PASSWORD: 'pw-4711' }, () =>
      runCli('schemas', 'plan', tree.dir, '--stack', 'prod', '--registry', url),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('+ CREATE subject acme.c1.orders._public.placed-value (register AVRO schema, compatibility BACKWARD)\nschemas: 1 to create, 0 to update, 0 to delete, 0 unchanged');
    expect(seen).toEqual([{ method: 'GET', url: '/apis/ccompat/v7/subjects', authorization: `Basic ${Buffer.from('svc:pw-4711').toString('base64')}` }]);
  });

  it('refused credentials: exit 2, one line, no password', async () => {
    answer = () => ({ status: 401, body: { error_code: 401, message: 'Unauthorized for pw-4711' } });
    const run = await withEnv({ ...noEnv, MESHFORM_SCHEMA_REGISTRY_USERNAME: 'svc', MESHFORM_SCHEMA_REGISTRY_PASSWORD: 'pw-4711' }, () =>
      runCli('schemas', 'apply', tree.dir, '--stack', 'prod', '--registry', url),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`meshform schemas apply: the schema registry at ${url} refused the credentials (HTTP 401); check MESHFORM_SCHEMA_REGISTRY_USERNAME/MESHFORM_SCHEMA_REGISTRY_PASSWORD`);
    expect(run.stdout).toBe('');
  });

  it('an unreachable registry or none at all: exit 2 with what to do', async () => {
    const port = await freePort();
    const unreachable = await withEnv(noEnv, () => runCli('schemas', 'plan', tree.dir, '--stack', 'prod', '--registry', `http://127.0.0.1:${port}`));
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toBe(`meshform schemas plan: cannot reach the schema registry at http://127.0.0.1:${port}: ECONNREFUSED`);

    const none = await withEnv(noEnv, () => runCli('schemas', 'plan', tree.dir, '--stack', 'prod'));
    expect(none.code).toBe(2);
    expect(none.stderr).toBe("meshform schemas plan: no schema registry: pass --registry <url>, set MESHFORM_SCHEMA_REGISTRY_URL, or the stack's meshform:schemaRegistryUrl");

    const withCredentials = await withEnv(noEnv, () => runCli('schemas', 'plan', tree.dir, '--stack', 'prod', '--registry', 'http://u:secret-9@127.0.0.1:1'));
    expect(withCredentials.code).toBe(2);
    expect(withCredentials.stderr).not.toContain('secret-9');
  });

  it('kafka plan without a registry says the subjects were not checked', async () => {
    const run = await withEnv({ ...noEnv, MESHFORM_KAFKA_SASL_MECHANISM: undefined, MESHFORM_KAFKA_USERNAME: undefined, MESHFORM_KAFKA_PASSWORD: undefined }, () =>
      runCli('kafka', 'plan', tree.dir, '--stack', 'dev', '--bootstrap', '127.0.0.1:1'),
    );
    // After the line naming the Kafka cluster and principal.
    expect(run.stderr.split('\n')[0]).toBe("meshform kafka plan: Kafka at 127.0.0.1:1 as User:ANONYMOUS (no SASL, TLS off), stack 'dev'");
    expect(run.stderr.split('\n')[1]).toBe('meshform kafka plan: no schema registry configured (--registry, MESHFORM_SCHEMA_REGISTRY_URL or meshform:schemaRegistryUrl): 1 schema subject(s) not checked or registered');
  });
});

describe('registry answers never carry the credentials to the output', () => {
  const SUBJECT = 'acme.c1.orders._public.placed-value';
  const credentials = (username: string, password: string) => ({ ...noEnv, MESHFORM_SCHEMA_REGISTRY_USERNAME: username, MESHFORM_SCHEMA_REGISTRY_PASSWORD: password });
  /** The registry knows no subject; registering answers `refusal`. */
  const registryRefusing = (refusal: (req: IncomingMessage) => ReturnType<typeof answer>) => (req: IncomingMessage) => {
    if (req.method === 'GET' && req.url === '/apis/ccompat/v7/subjects') return { status: 200, body: [] };
    if (req.method === 'POST' && req.url === `/apis/ccompat/v7/subjects/${SUBJECT}/versions`) return refusal(req);
    return { status: 404, body: { error_code: 40401, message: `Subject '${SUBJECT}' not found.` } };
  };
  const apply = (username: string, password: string) => withEnv(credentials(username, password), () => runCli('schemas', 'apply', tree.dir, '--stack', 'prod', '--registry', url));
  const decoded = (req: IncomingMessage) => Buffer.from(String(req.headers.authorization).replace(/^Basic /, ''), 'base64').toString();

  it("the registry's own refusal is shown as it said it, whatever the password", async () => {
    answer = registryRefusing(() => ({ status: 422, body: { error_code: 42201, message: 'Invalid schema: a record needs a name, and a cannot be empty' } }));
    const neutral = await apply('svc', NEUTRAL);
    expect(neutral.code).toBe(1);
    expect(neutral.stdout).toContain(`registering ${SUBJECT}: Invalid schema: a record needs a name, and a cannot be empty (error 42201)`);
    expect(`${neutral.stdout}\n${neutral.stderr}`).not.toContain(NEUTRAL);
    for (const password of HOSTILE) {
      const hostile = await apply('svc', password);
      expect({ password, ...hostile }).toEqual({ password, ...neutral });
    }
  });

  it("the registry's message is one line without control characters (it cannot drive the terminal)", async () => {
    answer = registryRefusing(() => ({ status: 422, body: { error_code: 42201, message: 'Invalid schema\u001b[2J\n  at line 1\r\u0007' } }));
    const run = await apply('svc', NEUTRAL);
    expect(run.stdout).toContain(`registering ${SUBJECT}: Invalid schema [2J   at line 1  (error 42201)`);
  });

  it('a JSON message that repeats the Authorization header, or the decoded credentials, is withheld whole', async () => {
    for (const reflect of [(req: IncomingMessage) => `Unauthorized-ish: got ${req.headers.authorization}`, (req: IncomingMessage) => `bad request from ${decoded(req)} at ${req.url}`]) {
      answer = registryRefusing((req) => ({ status: 400, body: { error_code: 400, message: reflect(req) } }));
      const run = await apply('svc', 'pw-4711');
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`registering ${SUBJECT}: the registry's message is not shown: it repeats the credentials meshform sent (error 400)`);
      const printed = `${run.stdout}\n${run.stderr}`;
      for (const secret of ['pw-4711', Buffer.from('svc:pw-4711').toString('base64')]) expect(printed).not.toContain(secret);
    }
  });

  it('a body that is not the registry JSON, and every header, are never shown', async () => {
    answer = registryRefusing((req) => ({
      status: 502,
      text: `<html><body>Bad gateway. Your request: Authorization: ${req.headers.authorization}</body></html>`,
      headers: { 'X-Echo-Authorization': String(req.headers.authorization), 'Content-Type': `text/html; auth=${decoded(req)}` },
    }));
    const run = await apply('svc', 'pw-4711');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`registering ${SUBJECT.replace(/\./g, '\\.')}: an answer that is not the registry's JSON \\(\\d+ bytes, not shown\\) \\(HTTP 502\\)`));
    const printed = `${run.stdout}\n${run.stderr}`;
    for (const secret of ['pw-4711', Buffer.from('svc:pw-4711').toString('base64'), 'Bad gateway', 'auth=']) expect(printed).not.toContain(secret);
  });
});
