/**
 * `meshform dev up|down`, run as users run it (the CLI in a child process, in a product repo's
 * folder), checked with clients and tools we did not write: kcat (the line `dev up` prints, run as
 * printed), the Docker CLI (ports, containers and volumes), /proc (the detached process).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kcatMissing, runKcat } from '@meshform/peers/testing/clients/kcat';
import { envWithContainers } from '@meshform/peers/testing/containers';
import { describeWithPeer, PEERS_REQUIRED } from '@meshform/peers/testing/peers';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'meshform.js');
const NO_ENGINE = 'unix:///nonexistent/meshform-test/docker.sock';
const noKcat = kcatMissing();
if (noKcat && PEERS_REQUIRED) throw new Error(`MESHFORM_REQUIRE_PEERS=1 and ${noKcat}`);

/** A product repo's folder (the example's specs and mesh), named so its sandbox is this test's own. */
function productRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-dev-test-'));
  for (const f of ['specs', 'mesh', 'stacks']) fs.cpSync(path.join(ROOT, 'examples', 'product-repo', f), path.join(dir, f), { recursive: true });
  return dir;
}

function sandboxOf(dir: string): string {
  return path.basename(dir).toLowerCase().replace(/[^a-z0-9-]+/g, '-');
}

function meshform(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface UpJson {
  sandbox: string;
  bootstrap: string;
  registry?: string;
  products: Record<string, { username: string; password: string; groupPrefix: string }>;
}

const PRODUCTS = ['acme.finance.payments', 'acme.retail.returns', 'acme.retail.shipping'];

/** The kcat line `dev up` printed for a product, run as printed (with JSON output), and the topics it lists. */
async function topicsByPrintedKcatLine(text: string, product: string): Promise<string[]> {
  const lines = text.split('\n');
  const at = lines.indexOf(product);
  const line = lines.slice(at).find((l) => l.trim().startsWith('kcat '));
  if (at < 0 || !line) throw new Error(`no kcat line for ${product} in:\n${text}`);
  const run = await runKcat([...line.trim().split(/\s+/).slice(1), '-J', '-m', '10']);
  if (run.code !== 0) throw new Error(`kcat failed: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { topics: { topic: string }[] }).topics.map((t) => t.topic).sort();
}

/** What acme.retail.returns may see in the example mesh: its own topic and the public one it reads, written out from the specs. */
const RETURNS_SEES = ['acme.retail.returns._protected.return_received', 'acme.retail.shipping._public.parcel_shipped'];

describe('meshform dev, no Docker engine', () => {
  it('up in the containers runtime: exit 2 naming the socket and the runtime that needs no Docker', async () => {
    const dir = productRepo();
    const r = await meshform(['dev', 'up', 'specs', 'mesh'], dir, { ...process.env, DOCKER_HOST: NO_ENGINE });
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain('meshform dev: no Docker engine: /nonexistent/meshform-test/docker.sock does not exist (start dockerd, or set DOCKER_HOST); --runtime in-process runs without Docker');
  });

  it('up --runtime jvm without KAFKA_HOME: exit 2 saying what it needs', async () => {
    const dir = productRepo();
    const env = { ...process.env };
    delete env.KAFKA_HOME;
    const r = await meshform(['dev', 'up', 'specs', 'mesh', '--runtime', 'jvm'], dir, env);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain('meshform dev: --runtime jvm needs KAFKA_HOME');
  });

  (noKcat ? it.skip : it)(`up --runtime in-process: a detached test broker with the mesh applied; kcat as a product lists its topics; down stops it${noKcat ? `: skipped: ${noKcat}` : ''}`, async () => {
    const dir = productRepo();
    const env = { ...process.env, DOCKER_HOST: NO_ENGINE };
    const up = await meshform(['dev', 'up', 'specs', 'mesh', '--runtime', 'in-process'], dir, env);
    try {
      expect(up.code).toBe(0);
      expect(up.stdout.split('\n')[0]).toBe(`sandbox ${sandboxOf(dir)}: in-process test broker`);
      expect(up.stderr).toContain('the in-process runtime has no schema registry: schemas not registered');
      expect(await topicsByPrintedKcatLine(up.stdout, 'acme.retail.returns')).toEqual(RETURNS_SEES);
      const pid = Number(/\(pid (\d+)\)/.exec(up.stderr)?.[1]);
      expect(fs.existsSync(`/proc/${pid}`)).toBe(true);
      const down = await meshform(['dev', 'down', '--json'], dir, env);
      expect(down.code).toBe(0);
      expect(JSON.parse(down.stdout)).toEqual({ sandbox: sandboxOf(dir), removed: [`in-process Kafka (pid ${pid})`] });
      expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
    } finally {
      await meshform(['dev', 'down'], dir, env);
    }
  }, 120_000);
});

describeWithPeer('kafka', 'meshform dev up --runtime jvm (KAFKA_HOME: the kafka peer)', (peer) => {
  (noKcat ? it.skip : it)(`Apache Kafka in a detached JVM with the mesh applied; kcat as a product lists its topics${noKcat ? `: skipped: ${noKcat}` : ''}`, async () => {
    const dir = productRepo();
    const env = { ...process.env, KAFKA_HOME: peer.home, DOCKER_HOST: NO_ENGINE };
    try {
      const up = await meshform(['dev', 'up', 'specs', 'mesh', '--runtime', 'jvm'], dir, env);
      expect([up.code, up.stdout.split('\n')[0]]).toEqual([0, `sandbox ${sandboxOf(dir)}: jvm (KAFKA_HOME)`]);
      expect(await topicsByPrintedKcatLine(up.stdout, 'acme.retail.returns')).toEqual(RETURNS_SEES);
    } finally {
      const down = await meshform(['dev', 'down'], dir, env);
      expect(down.stderr).toMatch(/meshform dev: removed jvm Kafka \(pid \d+\)/);
    }
  }, 240_000);
});

describeWithPeer('containers', 'meshform dev on a Docker engine (the containers peer)', () => {
  const dockerOut = (args: string[]) => {
    const res = spawnSync('docker', args, { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`docker ${args.join(' ')}: ${res.stderr}`);
    return res.stdout.trim();
  };

  it('up starts Kafka and the registry on 127.0.0.1 with the mesh applied; a second up re-applies; down leaves nothing', async () => {
    const dir = productRepo();
    const env = envWithContainers();
    const sandbox = sandboxOf(dir);
    try {
      const up = await meshform(['dev', 'up', 'specs', 'mesh', '--json'], dir, env);
      expect(up.code).toBe(0);
      const sandboxJson = JSON.parse(up.stdout) as UpJson;
      expect(sandboxJson.sandbox).toBe(sandbox);
      expect(sandboxJson.bootstrap).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(sandboxJson.registry).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/apis\/ccompat\/v7$/);
      expect(Object.keys(sandboxJson.products).sort()).toEqual(PRODUCTS);
      expect(sandboxJson.products['acme.retail.returns']).toEqual({ username: 'acme.retail.returns', password: expect.stringMatching(/^\S{12,}$/), groupPrefix: 'acme.retail.returns.' });

      // The Docker CLI's view: two containers of this sandbox, each port published on 127.0.0.1 only.
      const names = dockerOut(['ps', '--filter', `label=org.meshform.sandbox=${sandbox}`, '--format', '{{.Names}}']).split('\n').sort();
      expect(names).toEqual([`meshform-dev-${sandbox}-kafka`, `meshform-dev-${sandbox}-registry`]);
      for (const name of names) expect(dockerOut(['port', name]).split('\n').every((l) => / -> 127\.0\.0\.1:\d+$/.test(l))).toBe(true);
      // The registry's own answer: the example's four subjects.
      expect(((await (await fetch(`${sandboxJson.registry}/subjects`)).json()) as string[]).length).toBe(4);

      // Again: the same sandbox, the same credentials, nothing to create; the text form has a kcat line that works.
      const again = await meshform(['dev', 'up', 'specs', 'mesh'], dir, env);
      expect(again.code).toBe(0);
      expect(again.stderr).toContain(`Kafka already runs in meshform-dev-${sandbox}-kafka at ${sandboxJson.bootstrap}: re-applying`);
      expect(again.stderr).toContain('meshform dev: kafka: 0 created, 0 updated');
      expect(again.stdout).toContain(`user: acme.retail.returns  password: ${sandboxJson.products['acme.retail.returns'].password}`);
      if (!noKcat) expect(await topicsByPrintedKcatLine(again.stdout, 'acme.retail.returns')).toEqual(RETURNS_SEES);

      const volumes = names.flatMap((n) => dockerOut(['inspect', '--format', '{{range .Mounts}}{{.Name}} {{end}}', n]).split(/\s+/).filter(Boolean));
      expect(volumes.length).toBeGreaterThan(0);
      const down = await meshform(['dev', 'down', '--json'], dir, env);
      expect(down.code).toBe(0);
      expect(JSON.parse(down.stdout).removed.sort()).toEqual(names.map((n) => `container ${n}`));
      expect(dockerOut(['ps', '-a', '--filter', `label=org.meshform.sandbox=${sandbox}`, '--format', '{{.Names}}'])).toBe('');
      for (const v of volumes) expect(spawnSync('docker', ['volume', 'inspect', v]).status).not.toBe(0);
    } finally {
      await meshform(['dev', 'down'], dir, env);
    }
  }, 300_000);
});
