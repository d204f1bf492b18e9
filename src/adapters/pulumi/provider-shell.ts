/**
 * Pulumi keeps a dynamic resource's provider in its inputs and outputs (`__provider`), as module
 * text that the dynamic-provider host loads. meshform's dynamic resources carry a short hand-written
 * shell there instead of a serialized closure: it loads the implementation by package name
 * (`meshform/pulumi/<subpath>`, compiled code) in the provider process, resolved from the folder
 * the engine runs it in. The state then holds no path, no TypeScript and a few hundred bytes per
 * resource (a serialized closure is over 3 KB, twice), and a newer meshform takes effect without a
 * change to any resource.
 */
import * as pulumi from '@pulumi/pulumi';

/**
 * The `__provider` text for `meshform/pulumi/<subpath>`, whose module exports the implementation as
 * `provider`: one line of plain JavaScript, as short as it can be (it is kept twice per resource,
 * and every checkpoint rewrites it). The dynamic-provider host calls `handler()` once per process,
 * in the request that first needs it; createRequire from the project folder also finds meshform's
 * own checkout by its name. When meshform is not installed there, the error is Node's
 * `Cannot find module 'meshform/pulumi/<subpath>'` (docs/pulumi.md says what to do): a hint in the
 * text would cost ~100 bytes of every resource's state, twice.
 */
export function providerSource(subpath: string): string {
  return `exports.handler=()=>require("module").createRequire(process.cwd()+"/_")(${JSON.stringify(`meshform/pulumi/${subpath}`)}).provider;\n`;
}

/**
 * A dynamic resource (type `pulumi-nodejs:dynamic/meshform:<type>`, as `pulumi.dynamic.Resource`
 * registers it) whose provider is the shell for `meshform/pulumi/<subpath>`.
 */
export class ShellResource extends pulumi.CustomResource {
  constructor(type: string, subpath: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(`pulumi-nodejs:dynamic/meshform:${type}`, name, { ...props, __provider: providerSource(subpath) }, opts);
  }
}
