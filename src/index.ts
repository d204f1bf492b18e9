/**
 * meshform as a library: the same functions the CLI and the Pulumi program call.
 * spec files -> loadMesh -> Mesh; stack file -> loadStack -> StackConfig; planMesh(mesh, stack) -> Plan.
 */
export * from './vocabulary/diagnostics';
export { loadMesh, buildMesh, type LoadResult } from './model';
export type * from './vocabulary/mesh';
export { planMesh, productPrincipal } from './plan';
export type * from './plan/types';
export { loadStack, listStacks } from './stack/load';
export type * from './stack/types';
export * as names from './names';
