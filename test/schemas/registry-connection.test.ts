/**
 * How meshform talks to a registry, seen from a local HTTP server (the raw requests are the
 * oracle): basic auth, refused credentials, an unreachable registry, no registry at all, answers
 * that must not reach the output, and the check before registering, which must hold whether or not
 * a real registry (the `registry` peer, test/schemas/registry.test.ts) is installed.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { runCli } from '../cli/support';
import { withEnv } from '../support/env';
import { freePort } from '../../src/local-host';
import { avroRecord, productSpec, tempTree, type TempTree } from './support';
import { HOSTILE, NEUTRAL } from '../support/secrets';
import { ADMIN, adminConnection, startAdminBroker } from '../kafka/broker';
import { withAdmin } from '../kafka/oracle';

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

describe('the check before registering, without a registry peer: the registry scripted, its requests recorded', () => {
  const SUBJECT = 'acme.c1.orders._public.placed-value';
  const V7 = '/apis/ccompat/v7';
  /** The spec's schema is Placed {id: string}. A version 1 it can read (an extra field, which BACKWARD lets a reader drop)... */
  const READABLE = avroRecord('Placed', [{ name: 'id', type: 'string' }, { name: 'extra', type: 'long' }]).trim();
  /** ... and one it cannot (`id` an int). */
  const RETYPED = avroRecord('Placed', [{ name: 'id', type: 'int' }]).trim();
  /** A registry holding SUBJECT (version 1: `registered`) at `level`, whose compatibility check answers `compatible`. */
  const registryWith = (level: string | undefined, compatible: boolean, registered = READABLE) => {
    let version2 = false;
    return (req: IncomingMessage) => {
      const route = `${req.method} ${req.url}`;
      if (route === `GET ${V7}/subjects`) return { status: 200, body: [SUBJECT] };
      if (route === `POST ${V7}/subjects/${SUBJECT}`) {
        return version2 ? { status: 200, body: { subject: SUBJECT, version: 2, id: 8, schema: 'as sent' } } : { status: 404, body: { error_code: 40403, message: 'Schema not found' } };
      }
      if (route === `GET ${V7}/config/${SUBJECT}`) return level ? { status: 200, body: { compatibilityLevel: level } } : { status: 404, body: { error_code: 40408, message: 'no subject config' } };
      if (route === `GET ${V7}/subjects/${SUBJECT}/versions/latest`) return { status: 200, body: { subject: SUBJECT, version: 1, id: 7, schema: registered } };
      if (route === `POST ${V7}/compatibility/subjects/${SUBJECT}/versions?verbose=true`) {
        return { status: 200, body: compatible ? { is_compatible: true } : { is_compatible: false, messages: ['READER_FIELD_TYPE_MISMATCH at /fields/0/type'] } };
      }
      if (route === `PUT ${V7}/config/${SUBJECT}`) return { status: 200, body: { compatibility: 'BACKWARD' } };
      if (route === `POST ${V7}/subjects/${SUBJECT}/versions`) {
        version2 = true;
        return { status: 200, body: { id: 8 } };
      }
      return { status: 404, body: { error_code: 40401, message: `unexpected ${route}` } };
    };
  };
  const writes = () => seen.filter((r) => r.method !== 'GET' && !(r.method === 'POST' && (r.url === `${V7}/subjects/${SUBJECT}` || r.url?.startsWith(`${V7}/compatibility/`)))).map((r) => `${r.method} ${r.url}`);
  const apply = () => withEnv(noEnv, () => runCli('schemas', 'apply', tree.dir, '--stack', 'prod', '--registry', url));

  it("the subject at the planned level: the registry's verdict refuses a schema meshform's own check would let through, and nothing is written", async () => {
    answer = registryWith('BACKWARD', false);
    const run = await apply();
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe(`! REFUSED subject ${SUBJECT}: the registry refuses it under BACKWARD: READER_FIELD_TYPE_MISMATCH at /fields/0/type`);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toContain(`POST ${V7}/compatibility/subjects/${SUBJECT}/versions?verbose=true`);
    expect(writes()).toEqual([]);
  });

  it('the subject at another level: the local check under the planned level refuses it, before the level is set', async () => {
    answer = registryWith(undefined, true, RETYPED);
    const run = await apply();
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`! REFUSED subject ${SUBJECT.replace(/\./g, '\\.')} .*: incompatible under BACKWARD with registered version 1 \\(meshform's check, the subject's level being the registry default until apply sets it\\): new schema cannot read older messages`));
    expect(writes()).toEqual([]);
  });

  it('a compatible schema at the planned level is registered (the scripted registry is not refusing everything)', async () => {
    answer = registryWith('BACKWARD', true);
    const run = await apply();
    expect(run.stdout).toContain(`~ UPDATED subject ${SUBJECT}`);
    expect(run.code).toBe(0);
    expect(writes()).toEqual([`POST ${V7}/subjects/${SUBJECT}/versions`]);
  });

  it("kafka apply holds back the product's topics when its schema is refused (the in-process broker, read with kafkajs)", async () => {
    answer = registryWith('BACKWARD', false);
    const { broker } = await startAdminBroker();
    try {
      const run = await withEnv({ ...noEnv, MESHFORM_KAFKA_SASL_MECHANISM: 'plain', MESHFORM_KAFKA_USERNAME: ADMIN.username, MESHFORM_KAFKA_PASSWORD: ADMIN.password }, () =>
        runCli('kafka', 'apply', tree.dir, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--registry', url, '--yes'),
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/! REFUSED topic acme\.c1\.orders\._public\.placed.*: held back: schema acme\.c1\.orders\._public\.placed-value was refused/);
      expect(await withAdmin(adminConnection(broker.bootstrap), (admin) => admin.listTopics())).toEqual([]);
      expect(writes()).toEqual([]);
    } finally {
      await broker.stop();
    }
  });
});
