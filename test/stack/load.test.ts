import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../../src/vocabulary/diagnostics';
import { STACK_KEYS } from '../../src/stack/keys';
import { listStacks, loadStack, stackFromPulumiConfig } from '../../src/stack/load';
import { unveiled } from '../support/secrets';

const FIXTURES = path.join(__dirname, 'fixtures');
const REPO = path.join(__dirname, '..', '..');

const load = (name: string, env: NodeJS.ProcessEnv = {}) => loadStack(name, { root: FIXTURES, env });
/** `CODE@line:col` of every diagnostic, the shape most assertions need. */
const where = (diagnostics: Diagnostic[]) =>
  diagnostics.map((d) => `${d.code}@${d.location ? `${d.location.line}:${d.location.col}` : '-'}`);

describe('loadStack: example stacks', () => {
  test('dev, staging and prod load without diagnostics', () => {
    expect(listStacks(REPO)).toEqual(expect.arrayContaining(['dev', 'prod', 'staging']));
    for (const name of ['dev', 'staging', 'prod']) {
      const { stack, diagnostics } = loadStack(name, { root: REPO, env: {} });
      expect(diagnostics.map(formatDiagnostic)).toEqual([]);
      expect(stack?.name).toBe(name);
    }
  });

  test('dev is a small cluster, staging uses Crossplane, prod is protected with public readers', () => {
    const dev = loadStack('dev', { root: REPO, env: {} }).stack!;
    expect(dev.kafka.replicasCap).toBe(1);
    expect(dev.kafka.partitionFactor).toBe(0.25);
    expect(dev.crossplane.enabled).toBe(false);
    expect(dev.protect).toBe(false);
    const staging = loadStack('staging', { root: REPO, env: {} }).stack!;
    expect(staging.crossplane).toEqual({ enabled: true, delivery: 'pulumi', namespace: 'data-products' });
    const prod = loadStack('prod', { root: REPO, env: {} }).stack!;
    expect(prod.protect).toBe(true);
    expect(prod.gcp.publicReaders).toBe('domain:acme.com');
  });
});

describe('loadStack: values', () => {
  test('strings as `pulumi config set` writes them and native YAML values mean the same', () => {
    const fromStrings = load('string-values');
    const fromNative = load('native-values');
    expect(fromStrings.diagnostics).toEqual([]);
    expect(fromNative.diagnostics).toEqual([]);
    const { name: _a, environment: _b, ...strings } = fromStrings.stack!;
    const { name: _c, environment: _d, ...native } = fromNative.stack!;
    expect(strings).toEqual(native);
    expect(strings.kafka).toMatchObject({
      defaultPartitions: 6,
      defaultReplicas: 2,
      replicasCap: 1,
      partitionFactor: 0.5,
      allowDelete: true,
      allowDeletePrivate: false,
    });
    expect(strings.kafka.connection.tls).toBe(true);
    expect(strings.crossplane.enabled).toBe(true);
  });

  test('defaults: EU, User:{domain}, environment = stack name, specs folder, protect only for prod', () => {
    const { stack } = load('missing-project', {});
    expect(stack).toBeUndefined();
    const minimal = stackFromPulumiConfig('qa', { 'meshform:gcpProject': 'acme-data-qa' }, {}).stack!;
    expect(minimal).toEqual({
      name: 'qa',
      environment: 'qa',
      gcp: { project: 'acme-data-qa', location: 'EU' },
      kafka: {
        principalTemplate: 'User:{domain}',
        defaultPartitions: 3,
        defaultReplicas: 3,
        partitionFactor: 1,
        // No quota defaults unless the stack sets them; byte rates unscaled.
        quotas: { defaults: {}, factor: 1 },
        allowDelete: false,
        allowDeletePrivate: false,
        allowBreaking: false,
        connection: { clientId: 'meshform', tls: false },
      },
      crossplane: { enabled: false, delivery: 'pulumi', namespace: 'default' },
      schemas: { compatibility: 'BACKWARD', registry: {} },
      protect: false,
      specs: 'specs',
    });
    expect(stackFromPulumiConfig('prod', { 'meshform:gcpProject': 'acme-data-prod' }, {}).stack!.protect).toBe(true);
    expect(
      stackFromPulumiConfig('prod', { 'meshform:gcpProject': 'acme-data-prod', 'meshform:protect': 'false' }, {}).stack!.protect,
    ).toBe(false);
  });

  test('gcp:project is the fallback project; other providers and Pulumi keys are left alone', () => {
    const { stack, diagnostics } = load('native-values');
    expect(diagnostics).toEqual([]);
    expect(stack?.gcp.project).toBe('acme-data-test');
  });

  test("Pulumi's legacy <namespace>:config:<key> form is read", () => {
    const { stack, diagnostics } = load('legacy-key');
    expect(diagnostics).toEqual([]);
    expect(stack?.kafka.replicasCap).toBe(1);
  });
});

describe('loadStack: mistakes are diagnostics with file:line:col', () => {
  test('unknown meshform: keys, with a suggestion for a near miss', () => {
    const { stack, diagnostics } = load('unknown-key');
    expect(stack).toBeUndefined();
    expect(where(diagnostics)).toEqual(['MF-STACK-KEY@3:3', 'MF-STACK-KEY@4:3']);
    expect(diagnostics[0].message).toContain('did you mean meshform:replicasCap?');
    expect(diagnostics[0].location?.file).toBe(path.relative(process.cwd(), path.join(FIXTURES, 'stacks', 'Pulumi.unknown-key.yaml')));
  });

  test('a misspelt meshform namespace or config section is named with the key it meant, not ignored', () => {
    const { stack, diagnostics } = load('typos');
    expect(stack).toBeUndefined();
    expect(sortDiagnostics(diagnostics).map((d) => formatDiagnostic(d).replace(/^.*?:(\d+:\d+)/, '$1'))).toEqual([
      "4:3: error MF-STACK-KEY: unknown namespace 'meshfrom' in 'meshfrom:replicasCap' (did you mean meshform:replicasCap?)",
      "5:3: error MF-STACK-KEY: unknown key 'meshform:partitionFacter' (did you mean meshform:partitionFactor?)",
      "7:1: warning MF-STACK-KEY: unknown top-level key 'conifg' (did you mean config?)",
    ]);
  });

  test('wrong types point at the value', () => {
    const { diagnostics } = load('wrong-types');
    expect(where(diagnostics)).toEqual([
      'MF-STACK-TYPE@3:31',
      'MF-STACK-TYPE@4:29',
      'MF-STACK-TYPE@5:24',
      'MF-STACK-TYPE@6:22',
      'MF-STACK-TYPE@7:29',
    ]);
    expect(diagnostics[0].message).toBe('meshform:defaultPartitions must be an integer, got string "many"');
  });

  test('meshform:crossplane: gitops is Crossplane mode with the DataProducts by GitOps; the same from Pulumi config', () => {
    const { stack, diagnostics } = load('crossplane-gitops');
    expect(diagnostics).toEqual([]);
    expect(stack!.crossplane).toEqual({ enabled: true, delivery: 'gitops', namespace: 'data-products' });
    const fromPulumi = stackFromPulumiConfig('dev', { 'meshform:gcpProject': 'acme-data-dev', 'meshform:crossplane': 'gitops' }, {});
    expect([fromPulumi.diagnostics, fromPulumi.stack!.crossplane.delivery]).toEqual([[], 'gitops']);
    for (const value of ['true', 'false']) {
      const other = stackFromPulumiConfig('dev', { 'meshform:gcpProject': 'acme-data-dev', 'meshform:crossplane': value }, {}).stack!;
      expect(other.crossplane).toMatchObject({ enabled: value === 'true', delivery: 'pulumi' });
    }
  });

  test('meshform:crossplane other than true, false or gitops: an error at the value naming the three, with the nearest', () => {
    expect(load('crossplane-typo').diagnostics.map((d) => formatDiagnostic(d).replace(/^.*?:(\d+:\d+)/, '$1'))).toEqual([
      '4:24: error MF-STACK-TYPE: meshform:crossplane must be true, false or gitops, got string "gitop" (did you mean gitops?)',
    ]);
    expect(load('crossplane-number').diagnostics.map((d) => formatDiagnostic(d).replace(/^.*?:(\d+:\d+)/, '$1'))).toEqual([
      '3:24: error MF-STACK-TYPE: meshform:crossplane must be true, false or gitops, got number 1',
    ]);
  });

  test('bad values: project id, factor, public readers, principal template, namespace, bootstrap, mechanism, replicas', () => {
    const { diagnostics } = load('bad-values');
    expect(where(diagnostics)).toEqual([
      'MF-STACK-VALUE@2:24',
      'MF-STACK-VALUE@3:29',
      'MF-STACK-VALUE@4:27',
      'MF-STACK-VALUE@5:28',
      'MF-STACK-VALUE@6:33',
      'MF-STACK-VALUE@7:28',
      'MF-STACK-VALUE@8:32',
      'MF-STACK-VALUE@9:29',
    ]);
    expect(diagnostics[2].message).toContain('allUsers and allAuthenticatedUsers are never allowed');
    expect(diagnostics[3].message).toContain('{domain}');
  });

  test('missing project, bare key, YAML errors, duplicate keys, wrong shapes', () => {
    expect(where(load('missing-project').diagnostics)).toEqual(['MF-STACK-REQUIRED@1:1']);
    expect(where(load('empty').diagnostics)).toEqual(['MF-STACK-REQUIRED@1:1']);
    expect(where(load('bare-key').diagnostics)).toEqual(['MF-STACK-KEY@3:3']);
    expect(where(load('bad-yaml').diagnostics)).toEqual(['MF-STACK-YAML@4:1']);
    expect(where(load('duplicate-key').diagnostics)).toEqual(['MF-STACK-YAML@4:3']);
    expect(where(load('not-a-map').diagnostics)).toEqual(['MF-STACK-SHAPE@1:1']);
    expect(where(load('config-not-a-map').diagnostics)).toEqual(['MF-STACK-SHAPE@1:9', 'MF-STACK-REQUIRED@1:1']);
  });

  test('warnings keep the stack: unknown top-level key, allowDeletePrivate alone', () => {
    const topLevel = load('unknown-top-level');
    expect(topLevel.stack).toBeDefined();
    expect(topLevel.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning MF-STACK-KEY']);
    const privateOnly = load('delete-private-only');
    expect(privateOnly.stack?.kafka.allowDeletePrivate).toBe(true);
    expect(privateOnly.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning MF-STACK-INEFFECTIVE']);
  });

  test('a missing stack names the stacks there are; a bad stack name is refused before any file access', () => {
    const missing = load('qa');
    expect(missing.stack).toBeUndefined();
    expect(missing.diagnostics.map((d) => d.code)).toEqual(['MF-STACK-MISSING']);
    expect(missing.diagnostics[0].message).toContain('Pulumi.qa.yaml not found; stacks: bad-values,');
    expect(load('typo').diagnostics[0].message).toContain('Pulumi.typo.yaml not found (did you mean typos?); stacks: bad-values,');
    expect(load('../stacks/Pulumi.dev').diagnostics.map((d) => d.code)).toEqual(['MF-STACK-NAME']);
    expect(loadStack('dev', { root: path.join(FIXTURES, 'nowhere') }).diagnostics[0].message).not.toContain('stacks:');
  });
});

describe('loadStack: secrets and the Kafka connection', () => {
  const CIPHERTEXT = 'AAABAHRoaXMtaXMtbm90LWEtcmVhbC1jaXBoZXJ0ZXh0';

  test('a Pulumi secure value is recognised, not used as the password, and never printed', () => {
    const { stack, diagnostics } = load('secret-password');
    expect(diagnostics).toEqual([]);
    expect(stack?.kafka.connection).toEqual({ clientId: 'meshform', tls: false, saslMechanism: 'scram-sha-512', username: 'meshform' });
    expect(JSON.stringify(stack)).not.toContain(CIPHERTEXT);
  });

  test('MESHFORM_KAFKA_* override the file; the password comes from the environment', () => {
    const env = {
      MESHFORM_KAFKA_BOOTSTRAP: '127.0.0.1:19092',
      MESHFORM_KAFKA_SASL_MECHANISM: 'scram-sha-256',
      MESHFORM_KAFKA_USERNAME: 'ci-user',
      MESHFORM_KAFKA_PASSWORD: 'env-password',
    };
    const { stack, diagnostics } = load('connection', env);
    expect(diagnostics).toEqual([]);
    expect(unveiled(stack?.kafka.connection)).toEqual({
      bootstrap: '127.0.0.1:19092',
      clientId: 'meshform-ci',
      tls: false,
      saslMechanism: 'scram-sha-256',
      username: 'ci-user',
      password: 'secret:env-password',
    });
    expect(load('connection', {}).stack?.kafka.connection).toEqual({
      bootstrap: 'broker-1:9092,broker-2:9092',
      clientId: 'meshform-ci',
      tls: false,
      saslMechanism: 'plain',
      username: 'from-file',
    });
  });

  test('bad environment values are diagnostics without a location', () => {
    const { stack, diagnostics } = load('connection', { MESHFORM_KAFKA_SASL_MECHANISM: 'kerberos', MESHFORM_KAFKA_BOOTSTRAP: 'nope' });
    expect(stack).toBeUndefined();
    expect(where(diagnostics)).toEqual(['MF-STACK-ENV@-', 'MF-STACK-ENV@-']);
  });

  test('a secret on a key meshform must read is an error, and the ciphertext is not echoed', () => {
    const { diagnostics } = load('secret-project');
    expect(where(diagnostics)).toEqual(['MF-STACK-SECRET@3:5']);
    expect(diagnostics.map(formatDiagnostic).join('\n')).not.toContain('AAABAHNlY3JldC1wcm9qZWN0');
  });

  test('a plain-text password works but warns, without showing it', () => {
    const { stack, diagnostics } = load('plaintext-password');
    expect(stack?.kafka.connection.password?.reveal()).toBe('hunter2-plaintext');
    expect(JSON.stringify(stack)).not.toContain('hunter2');
    expect(where(diagnostics)).toEqual(['MF-STACK-PLAINTEXT-SECRET@3:27']);
    expect(diagnostics.map(formatDiagnostic).join('\n')).not.toContain('hunter2');
  });

  test('Pulumi runtime config (decrypted, all strings) gives the same stack, with no plain-text warning', () => {
    const runtime = stackFromPulumiConfig(
      'connection',
      {
        'meshform:gcpProject': 'acme-data-test',
        'meshform:kafkaBootstrap': 'broker-1:9092, broker-2:9092',
        'meshform:kafkaSaslMechanism': 'plain',
        'meshform:kafkaUsername': 'from-file',
        'meshform:kafkaClientId': 'meshform-ci',
        'meshform:kafkaPassword': 'decrypted-by-pulumi',
      },
      {},
    );
    expect(runtime.diagnostics).toEqual([]);
    const { password, ...connection } = runtime.stack!.kafka.connection;
    expect(password?.reveal()).toBe('decrypted-by-pulumi');
    expect({ ...runtime.stack, kafka: { ...runtime.stack!.kafka, connection } }).toEqual(load('connection').stack);
  });
});

describe('products a stack manages (meshform:domains, meshform:products)', () => {
  const base = { 'meshform:gcpProject': 'acme-data-dev' };

  test('comma-separated lists, spaces ignored; neither key: every product (no selection)', () => {
    const selected = stackFromPulumiConfig('dev-retail', { ...base, 'meshform:domains': 'acme.retail, acme.finance', 'meshform:products': 'acme.analytics.customer360' }, {});
    expect(selected.diagnostics).toEqual([]);
    expect(selected.stack!.selection).toEqual({ domains: ['acme.retail', 'acme.finance'], products: ['acme.analytics.customer360'] });
    expect(stackFromPulumiConfig('dev', base, {}).stack!.selection).toBeUndefined();
  });

  test('an empty list or an item that is not a dotted id is refused', () => {
    const bad = stackFromPulumiConfig('dev-x', { ...base, 'meshform:domains': ' , ', 'meshform:products': 'acme.retail,acme retail' }, {});
    expect(bad.stack).toBeUndefined();
    expect(bad.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      'MF-STACK-VALUE meshform:domains: must name at least one business domain (comma-separated)',
      "MF-STACK-VALUE meshform:products: 'acme retail' is not a product id or dotted prefix (dotted, as acme.retail)",
    ]);
  });
});

describe('schema registry settings', () => {
  const base = { 'meshform:gcpProject': 'acme-data-qa' };

  test('url, credentials and compatibility from the stack; the environment wins', () => {
    const fromStack = stackFromPulumiConfig('qa', {
      ...base,
      'meshform:schemaRegistryUrl': 'http://registry.internal:8081/',
      'meshform:schemaRegistryUsername': 'svc',
      'meshform:schemaRegistryPassword': 'pw-from-config',
      'meshform:schemaCompatibility': 'FULL_TRANSITIVE',
    }, {});
    expect(fromStack.diagnostics).toEqual([]);
    expect(unveiled(fromStack.stack!.schemas)).toEqual({
      compatibility: 'FULL_TRANSITIVE',
      registry: { url: 'http://registry.internal:8081', username: 'svc', password: 'secret:pw-from-config' },
    });
    const fromEnv = stackFromPulumiConfig('qa', { ...base, 'meshform:schemaRegistryUrl': 'http://a:1' }, {
      MESHFORM_SCHEMA_REGISTRY_URL: 'https://b:2/apis/ccompat/v7',
      MESHFORM_SCHEMA_REGISTRY_USERNAME: 'env-user',
      MESHFORM_SCHEMA_REGISTRY_PASSWORD: 'env-pw',
    });
    expect(unveiled(fromEnv.stack!.schemas.registry)).toEqual({ url: 'https://b:2/apis/ccompat/v7', username: 'env-user', password: 'secret:env-pw' });
  });

  test('a bad url, a url with credentials and an unknown level are refused without echoing secrets', () => {
    const bad = stackFromPulumiConfig('qa', {
      ...base,
      'meshform:schemaRegistryUrl': 'ftp://x',
      'meshform:schemaCompatibility': 'SOMETIMES',
    }, { MESHFORM_SCHEMA_REGISTRY_URL: 'http://user:hunter2@registry:8081' });
    expect(bad.stack).toBeUndefined();
    const messages = bad.diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/^MF-STACK-VALUE meshform:schemaRegistryUrl: must be an http:\/\/ or https:\/\/ URL/),
      expect.stringMatching(/^MF-STACK-VALUE meshform:schemaCompatibility: 'SOMETIMES' is not one of BACKWARD, /),
      expect.stringMatching(/^MF-STACK-ENV MESHFORM_SCHEMA_REGISTRY_URL: must not carry credentials/),
    ]));
    expect(messages.join('\n')).not.toContain('hunter2');
  });
});

describe('docs/stacks.md', () => {
  test('documents every key meshform reads, and no key it does not', () => {
    const doc = fs.readFileSync(path.join(REPO, 'docs', 'stacks.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/`meshform:([A-Za-z]+)`/g)].map((m) => m[1]));
    expect([...documented].sort()).toEqual(Object.keys(STACK_KEYS).sort());
    for (const variable of [
      'MESHFORM_KAFKA_BOOTSTRAP',
      'MESHFORM_KAFKA_SASL_MECHANISM',
      'MESHFORM_KAFKA_USERNAME',
      'MESHFORM_KAFKA_PASSWORD',
      'MESHFORM_SCHEMA_REGISTRY_URL',
      'MESHFORM_SCHEMA_REGISTRY_USERNAME',
      'MESHFORM_SCHEMA_REGISTRY_PASSWORD',
    ]) {
      expect(doc).toContain(variable);
    }
  });
});
