/**
 * Runs the Pulumi program under `pulumi.runtime.setMocks` and records every resource
 * registration as the engine would receive it: type, name, inputs, parent URN, protect flag and
 * dependencies (read from the registration request, which the mock API does not pass on).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';

export const ROOT = path.join(__dirname, '..', '..', '..');

export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  urn: string;
  parent: string;
  protect: boolean;
  deleteBeforeReplace: boolean;
  /** The provider reference (`<provider urn>::<id>`), empty for the default provider. */
  provider: string;
  dependencies: string[];
  /** Where the SDK says the resource was constructed (`<uri>:<line>`, empty: none) and how many frames above it. */
  sourcePosition: string;
  stackFrames: number;
  /** The id the mock received for a resource registered with the `import` option (absent: none). */
  importId?: string;
  /** Set (true) only when the resource is registered with `retainOnDelete`. */
  retainOnDelete?: true;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProtect(): boolean | undefined;
  getDeletebeforereplace(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getSourceposition(): { getUri(): string; getLine(): number } | undefined;
  getStacktrace(): { getFramesList(): unknown[] } | undefined;
  getRetainondelete(): boolean | undefined;
}

/** Sets up mocks for `stack` and records into a fresh list; call before loading the program module. */
export async function useMocks(stack: string): Promise<Registration[]> {
  const registrations: Registration[] = [];
  const pending = new Map<string, Registration>();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const state = { ...args.inputs, ...outputsOf(args.type, args.inputs) };
        const r = pending.get(`${args.type}::${args.name}`);
        if (r) r.inputs = args.inputs;
        // The import id (the SDK sends "" for a resource that is not imported).
        if (r && args.id) r.importId = args.id;
        return { id: args.id || `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    'meshform',
    stack,
    false,
  );
  const settings = require('@pulumi/pulumi/runtime/settings') as { getMonitor(): { registerResource: (req: RegisterRequest, cb: (err: unknown, res?: { getUrn(): string }) => void) => void } };
  const monitor = settings.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const r: Registration = {
      type: req.getType(),
      name: req.getName(),
      inputs: {},
      urn: '',
      parent: req.getParent(),
      protect: req.getProtect() ?? false,
      deleteBeforeReplace: req.getDeletebeforereplace(),
      provider: req.getProvider(),
      dependencies: req.getDependenciesList(),
      sourcePosition: req.getSourceposition() ? `${req.getSourceposition()!.getUri()}:${req.getSourceposition()!.getLine()}` : '',
      stackFrames: req.getStacktrace()?.getFramesList().length ?? 0,
      ...(req.getRetainondelete() && { retainOnDelete: true as const }),
    };
    pending.set(`${r.type}::${r.name}`, r);
    registrations.push(r);
    register(req, (err, res) => {
      if (res) r.urn = res.getUrn();
      callback(err, res);
    });
  };
  return registrations;
}

/** Outputs a real provider would compute and the program reads. */
function outputsOf(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (type === 'gcp:serviceaccount/account:Account') {
    const email = `${inputs.accountId}@${inputs.project}.iam.gserviceaccount.com`;
    return { email, name: `projects/${inputs.project}/serviceAccounts/${email}`, member: `serviceAccount:${email}` };
  }
  return {};
}

/** Waits until no registration has arrived for a few turns of the event loop. */
export async function settle(registrations: Registration[]): Promise<void> {
  let seen = -1;
  let quiet = 0;
  while (quiet < 3) {
    await new Promise((r) => setTimeout(r, 10));
    if (registrations.length === seen && registrations.every((r) => r.urn)) quiet++;
    else quiet = 0;
    seen = registrations.length;
  }
}

/**
 * A stack file's `config:` as the Pulumi runtime hands it to a program: every value a string
 * (JSON for non-strings), secrets decrypted (here: replaced by a stand-in value).
 */
export function pulumiConfigOf(stack: string, root = ROOT): Record<string, string> {
  const file = parse(fs.readFileSync(path.join(root, 'stacks', `Pulumi.${stack}.yaml`), 'utf8')) as {
    config?: Record<string, unknown>;
  };
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(file.config ?? {})) {
    const secure = value && typeof value === 'object' && 'secure' in value;
    config[key] = secure ? 'decrypted-secret' : typeof value === 'string' ? value : JSON.stringify(value);
  }
  return config;
}

export function awaitOutput<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}
