/** Crossplane mode: the plan's DataProduct object, applied to the cluster of the ambient kubeconfig. */
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { CrossplaneDataProduct } from '../../plan/types';

export function registerDataProductObject(
  r: CrossplaneDataProduct,
  opts: { parent: pulumi.Resource; protect: boolean },
): k8s.apiextensions.CustomResource {
  const { apiVersion, kind, metadata, spec } = r.properties;
  return new k8s.apiextensions.CustomResource(r.name, { apiVersion, kind, metadata, spec }, opts);
}
