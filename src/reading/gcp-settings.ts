/**
 * `gcp`: a product's GCP names and what of its GCP footprint exists already (issue 20, part 5).
 * Valid in `x-meshform` and in a mesh file's `defaults` and `products.<id>`, like every setting.
 *
 * ```yaml
 * gcp:
 *   names:
 *     dataset: "{domain}_{name}_{layer}"          # or per layer: {raw: "...", cleaned: "...", curated: "..."}
 *     serviceAccount: "{name}-{env}-sa"
 *   adopt: true                                   # every dataset and the account exist, under the names in effect
 *   adopt:                                        # or: which exist, and their ids when they differ from the names
 *     datasets: true                              # or [raw, curated], or {raw: legacy_orders, curated: true}
 *     serviceAccount: orders-legacy               # or true
 * ```
 *
 * Shapes and placeholders are checked here, where they are written (the placeholders:
 * `src/names.ts`); what a template gives for each product is checked mesh-wide
 * (`src/model/gcp-names.ts`).
 */
import { type Diagnostic, error } from '../vocabulary/diagnostics';
import { CODES } from '../vocabulary/codes';
import { LAYERS, type GcpAdoption, type GcpSettings, type Layer, type NameTemplate } from '../vocabulary/mesh';
import { type GcpNameTarget, NAME_PLACEHOLDERS, templatePlaceholderProblem } from '../names';
import { didYouMean, quoted } from '../suggest';
import type { JsonPath } from './source';
import type { SourceLocation } from '../vocabulary/diagnostics';

type Locate = (path: JsonPath, options?: { key?: boolean }) => SourceLocation;

const GCP_KEYS = ['names', 'adopt'];
const NAME_KEYS: readonly GcpNameTarget[] = ['dataset', 'serviceAccount'];
const ADOPT_KEYS = ['datasets', 'serviceAccount'];

export function readGcp(value: unknown, at: JsonPath, locate: Locate, where: string, code: string, unknownKeys: (v: Record<string, unknown>, known: readonly string[], at: JsonPath, w: string) => Diagnostic[]): { gcp?: GcpSettings; diagnostics: Diagnostic[] } {
  if (!isMap(value)) return { diagnostics: [error(code, `${where} must be a map with names and adopt`, locate(at))] };
  const diagnostics = unknownKeys(value, GCP_KEYS, at, where);
  const gcp: GcpSettings = {};

  const template = (text: unknown, path: JsonPath, target: GcpNameTarget, what: string, orTrue = false): NameTemplate | undefined => {
    if (typeof text !== 'string' || text === '') {
      const either = orTrue ? 'true (it exists under the name in effect) or ' : '';
      diagnostics.push(error(code, `${what} must be ${either}a text: a ${target === 'dataset' ? 'dataset id' : 'service account id'} or a template with ${NAME_PLACEHOLDERS[target].map((p) => `{${p}}`).join(', ')}`, locate(path)));
      return undefined;
    }
    const problem = templatePlaceholderProblem(text, target);
    if (problem) {
      diagnostics.push(error(CODES.gcpNamePlaceholder, `${what} "${text}" ${problem}`, locate(path)));
      return undefined;
    }
    return { template: text, location: locate(path) };
  };

  if (value.names !== undefined) {
    const nAt = [...at, 'names'];
    if (!isMap(value.names)) diagnostics.push(error(code, `${where}.names must be a map with dataset and serviceAccount`, locate(nAt)));
    else {
      diagnostics.push(...unknownKeys(value.names, NAME_KEYS, nAt, `${where}.names`));
      const dataset = value.names.dataset;
      if (dataset !== undefined) {
        const dAt = [...nAt, 'dataset'];
        if (isMap(dataset)) {
          // One template per layer; a layer left out keeps the default name.
          diagnostics.push(...unknownKeys(dataset, LAYERS, dAt, `${where}.names.dataset`));
          const perLayer: Partial<Record<Layer, NameTemplate>> = {};
          for (const layer of LAYERS) {
            const t = dataset[layer] === undefined ? undefined : template(dataset[layer], [...dAt, layer], 'dataset', `${where}.names.dataset.${layer}`);
            if (t) perLayer[layer] = t;
          }
          gcp.datasetNames = perLayer;
        } else {
          const t = template(dataset, dAt, 'dataset', `${where}.names.dataset`);
          if (t) gcp.datasetNames = Object.fromEntries(LAYERS.map((layer) => [layer, t]));
        }
      }
      if (value.names.serviceAccount !== undefined) {
        const t = template(value.names.serviceAccount, [...nAt, 'serviceAccount'], 'serviceAccount', `${where}.names.serviceAccount`);
        if (t) gcp.serviceAccountName = t;
      }
    }
  }

  if (value.adopt !== undefined) {
    const aAt = [...at, 'adopt'];
    const adopt: GcpAdoption = { datasets: {} };
    if (value.adopt === true) {
      for (const layer of LAYERS) adopt.datasets[layer] = { every: true, location: locate(aAt) };
      adopt.serviceAccount = { location: locate(aAt) };
      gcp.adopt = adopt;
    } else if (!isMap(value.adopt)) {
      diagnostics.push(error(code, `${where}.adopt must be true (every dataset and the service account exist) or a map with datasets and serviceAccount`, locate(aAt)));
    } else {
      diagnostics.push(...unknownKeys(value.adopt, ADOPT_KEYS, aAt, `${where}.adopt`));
      const datasets = value.adopt.datasets;
      const dAt = [...aAt, 'datasets'];
      if (datasets === true) {
        for (const layer of LAYERS) adopt.datasets[layer] = { every: true, location: locate(dAt) };
      } else if (Array.isArray(datasets)) {
        datasets.forEach((layer: unknown, i) => {
          if (!LAYERS.includes(layer as Layer)) diagnostics.push(error(code, `${where}.adopt.datasets: ${JSON.stringify(layer)} is not a layer (${LAYERS.join(', ')})${typeof layer === 'string' ? didYouMean(layer, LAYERS, quoted) : ''}`, locate([...dAt, i])));
          else if (adopt.datasets[layer as Layer]) diagnostics.push(error(code, `${where}.adopt.datasets lists ${String(layer)} twice`, locate([...dAt, i])));
          else adopt.datasets[layer as Layer] = { location: locate([...dAt, i]) };
        });
      } else if (isMap(datasets)) {
        diagnostics.push(...unknownKeys(datasets, LAYERS, dAt, `${where}.adopt.datasets`));
        for (const layer of LAYERS) {
          const entry = datasets[layer];
          if (entry === undefined) continue;
          if (entry === true) adopt.datasets[layer] = { location: locate([...dAt, layer]) };
          else {
            const id = template(entry, [...dAt, layer], 'dataset', `${where}.adopt.datasets.${layer}`, true);
            if (id) adopt.datasets[layer] = { id, location: id.location };
          }
        }
      } else if (datasets !== undefined) {
        diagnostics.push(error(code, `${where}.adopt.datasets must be true, a list of layers, or a map of layer to true or the existing dataset id`, locate(dAt)));
      }
      const account = value.adopt.serviceAccount;
      const sAt = [...aAt, 'serviceAccount'];
      if (account === true) adopt.serviceAccount = { location: locate(sAt) };
      else if (account !== undefined) {
        const id = template(account, sAt, 'serviceAccount', `${where}.adopt.serviceAccount`, true);
        if (id) adopt.serviceAccount = { id, location: id.location };
      }
      gcp.adopt = adopt;
    }
  }
  // The valid parts are kept, so what they give each product is checked too (the mesh fails on the diagnostics anyway).
  return { gcp, diagnostics };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
