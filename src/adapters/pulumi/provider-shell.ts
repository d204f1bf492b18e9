/**
 * Pulumi serializes a dynamic provider into the state as source text, with everything its methods
 * capture. meshform's dynamic resources use this shell: its methods load the implementation by
 * package name (`meshform/pulumi/<subpath>`, compiled code) in the provider process, resolved
 * from the project folder the engine runs it in. The state then holds no path and no TypeScript,
 * and a newer meshform takes effect without a change to any resource.
 */
import type * as pulumi from '@pulumi/pulumi';

type Implementation = pulumi.dynamic.ResourceProvider;

/** The shell for `meshform/pulumi/<subpath>`, whose module exports the implementation as `provider`. */
export function providerByPackageName<I, O>(subpath: string): pulumi.dynamic.ResourceProvider<I, O> {
  // Serialized as source with `subpath` captured: it may use nothing but `require`, `process` and
  // literals. createRequire from the project folder also finds meshform's own checkout by its name.
  const load = (): Implementation => {
    const { createRequire } = require('node:module');
    const { join } = require('node:path');
    try {
      return createRequire(join(process.cwd(), 'index.js'))(`meshform/pulumi/${subpath}`).provider;
    } catch (e) {
      throw new Error(`meshform's ${subpath} cannot be loaded from ${process.cwd()}: install meshform in the Pulumi project (npm install meshform): ${(e as Error).message}`);
    }
  };
  return {
    configure: async (req) => {
      const p = load();
      if (p.configure) await p.configure(req);
    },
    check: (olds, news) => {
      const p = load();
      return p.check ? p.check(olds, news) : Promise.resolve({ inputs: news });
    },
    diff: (id, olds, news) => {
      const p = load();
      return p.diff ? p.diff(id, olds, news) : Promise.resolve({});
    },
    create: (inputs) => load().create(inputs),
    read: (id, props) => {
      const p = load();
      return p.read ? p.read(id, props) : Promise.resolve({ id, props });
    },
    update: (id, olds, news) => {
      const p = load();
      return p.update ? p.update(id, olds, news) : Promise.resolve({ outs: news });
    },
    delete: async (id, props) => {
      const p = load();
      if (p.delete) await p.delete(id, props);
    },
  };
}
