/**
 * How meshform talks to a registry, seen from a local HTTP server (the raw requests are the
 * oracle): basic auth, refused credentials, an unreachable registry, no registry at all.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { runCli } from '../cli/support';
import { withEnv } from '../support/env';
import { freePort } from '../../src/local-host';
import { avroRecord, productSpec, tempTree, type TempTree } from './support';

let server: Server;
let url: string;
let seen: Array<{ method?: string; url?: string; authorization?: string }>;
let answer: (req: IncomingMessage) => { status: number; body: unknown };
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
      const { status, body } = answer(req);
      res.writeHead(status, { 'Content-Type': 'application/vnd.schemaregistry.v1+json' });
      res.end(JSON.stringify(body));
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
