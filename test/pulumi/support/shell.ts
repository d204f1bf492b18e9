/**
 * A dynamic resource's provider as the dynamic-provider host gets it: the `__provider` text of
 * provider-shell.ts compiled as a module and its `handler()` called, in this process (working
 * directory: the checkout, so `meshform/pulumi/<subpath>` resolves to its compiled dist/).
 */
import type * as pulumi from '@pulumi/pulumi';
import { providerSource } from '../../../src/adapters/pulumi/provider-shell';

export function loadShell<I, O>(subpath: string): Required<pulumi.dynamic.ResourceProvider<I, O>> {
  const module = { exports: {} as { handler: () => Required<pulumi.dynamic.ResourceProvider<I, O>> } };
  new Function('exports', 'require', 'module', providerSource(subpath))(module.exports, require, module);
  return module.exports.handler();
}
