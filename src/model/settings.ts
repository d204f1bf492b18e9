/** The settings every product ended up with, and where each came from (`meshform validate --json`). */
import type { Mesh, Product, SettingKey } from '../vocabulary/mesh';

export type EffectiveSettings = Record<string, Pick<Product, SettingKey> & { from: Product['settingsFrom'] }>;

/**
 * By product id: owners, domainType, storage, kafkaStreams, dialect and quotas as meshform uses them, and
 * for each where it came from: `x-meshform`, a mesh file position (`specs/meshform.yaml:4:3`),
 * `AsyncAPI 3.0` (3.0 specs are always read as AsyncAPI) or `default`.
 */
export function effectiveSettings(mesh: Mesh): EffectiveSettings {
  const out: EffectiveSettings = {};
  for (const p of mesh.products) {
    out[p.id] = { owners: p.owners, domainType: p.domainType, storage: p.storage, kafkaStreams: p.kafkaStreams, dialect: p.dialect, quotas: p.quotas ?? {}, ...(p.adopt && { adopt: p.adopt }), ...(p.gcp && { gcp: p.gcp }), from: p.settingsFrom };
  }
  return out;
}
