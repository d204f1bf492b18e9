/**
 * Federated governance: global standards, local execution. A mesh file names the rules every spec
 * below it must keep (built-in rules by name with off|warn|error, and Spectral rulesets); they run
 * wherever the specs are read (validate, plan, CI of a product repository), and their findings are
 * diagnostics like any other, naming the rule: `file:line:col: error <rule>: <message>`.
 */
import { compareText } from '../compare';
import { type Diagnostic, type SourceLocation, error, warning } from '../vocabulary/diagnostics';
import { CODES } from '../vocabulary/codes';
import type { Mesh, Product } from '../vocabulary/mesh';
import type { MeshFile } from '../reading/mesh-file';
import { displayPath } from '../reading/read';
import { nearest } from '../suggest';
import { BUILT_IN_RULES, type RuleContext } from './rules';
import { type LoadedRuleset, loadRuleset, spectralFor } from './spectral';

export { BUILT_IN_RULES } from './rules';

/**
 * What governance keeps of a spec once it is checked: its mesh file, and the file's text only when
 * that mesh file names Spectral rulesets (they read the document; the built-in rules read the
 * built mesh). Never the syntax tree: a run over thousands of specs would hold them all.
 */
export interface GovernedSpec {
  meshFile?: MeshFile;
  /** The spec's text and path, for the rulesets. */
  document?: { path: string; text: string };
}

/** What `govern` needs of a checked spec (see GovernedSpec): its text only when a ruleset reads it. */
export function governedSpec(path: string, text: string | undefined, meshFile: MeshFile | undefined): GovernedSpec {
  return meshFile && meshFile.rulesets.length > 0 && text !== undefined ? { meshFile, document: { path, text } } : { meshFile };
}

export interface GovernanceResult {
  diagnostics: Diagnostic[];
  /** By product id: the rules it is held to (severity warn or error), sorted; absent for products no rule applies to. */
  rules: Record<string, string[]>;
}

/**
 * @param specs by product id, the spec it was read from
 * @param context where a JSON path of a file the run read is written
 */
export async function govern(mesh: Mesh, specs: ReadonlyMap<string, GovernedSpec>, context: RuleContext & { cwd: string }): Promise<GovernanceResult> {
  const diagnostics: Diagnostic[] = [];
  const rules: Record<string, string[]> = {};
  const byMeshFile = new Map<MeshFile, Product[]>();
  for (const product of mesh.products) {
    const meshFile = specs.get(product.id)?.meshFile;
    if (meshFile && (meshFile.rules.length > 0 || meshFile.rulesets.length > 0)) byMeshFile.set(meshFile, [...(byMeshFile.get(meshFile) ?? []), product]);
  }
  for (const [meshFile, products] of byMeshFile) {
    const rulesets: LoadedRuleset[] = meshFile.rulesets.map((r) => loadRuleset(r.path, context.cwd, r.location));
    for (const r of rulesets) diagnostics.push(...r.diagnostics);
    const fromRulesets = new Set(rulesets.flatMap((r) => r.rules));
    const settings = meshFile.rules.filter((setting) => {
      const known = setting.name in BUILT_IN_RULES || fromRulesets.has(setting.name);
      if (!known) {
        const near = nearest(setting.name, [...Object.keys(BUILT_IN_RULES), ...fromRulesets]);
        diagnostics.push(error(CODES.meshFile, `unknown rule "${setting.name}"${near ? ` (did you mean "${near}"?)` : ''}; built-in rules: ${Object.keys(BUILT_IN_RULES).join(', ')}${fromRulesets.size ? `; the rulesets' rules: ${[...fromRulesets].sort(compareText).join(', ')}` : ''}`, setting.location));
      }
      return known && optionsUsable(setting, diagnostics);
    });

    const builtIns = settings.filter((s) => s.name in BUILT_IN_RULES && s.severity !== 'off');
    const usable = rulesets.filter((r) => r.rules.length > 0);
    const spectral = usable.length > 0 ? spectralFor(usable.map((r) => r.definition), new Map(settings.filter((s) => fromRulesets.has(s.name)).map((s) => [s.name, s.severity])), meshFile.dir) : undefined;
    const rulesetRules = [...fromRulesets].filter((name) => settings.find((s) => s.name === name)?.severity !== 'off');

    for (const product of products) {
      rules[product.id] = [...new Set([...builtIns.map((s) => s.name), ...rulesetRules])].sort(compareText);
      for (const setting of builtIns) {
        for (const finding of BUILT_IN_RULES[setting.name].check(product, setting.options, context)) {
          diagnostics.push(ruleDiagnostic(setting.name, setting.severity === 'error', finding.message, finding.location, product.id));
        }
      }
      const spec = specs.get(product.id);
      if (!spectral || !spec?.document) continue;
      for (const r of await spectral.run(spec.document)) {
        // Spectral's own parser and resolver notes are not rules: meshform has already checked the document.
        if (!fromRulesets.has(r.code)) continue;
        diagnostics.push(ruleDiagnostic(r.code, r.severity === 0, r.message, { file: displayPath(context.cwd, r.source), line: r.line, col: r.col }, product.id));
      }
    }
  }
  return { diagnostics, rules };
}

function ruleDiagnostic(rule: string, isError: boolean, message: string, location: SourceLocation, product: string): Diagnostic {
  return { ...(isError ? error : warning)(rule, message, location), rule, product };
}

/** A built-in rule's options as the rule takes them; problems are reported at the option. */
function optionsUsable(setting: MeshFile['rules'][number], diagnostics: Diagnostic[]): boolean {
  const rule = BUILT_IN_RULES[setting.name];
  if (!rule) return true;
  let usable = true;
  for (const option of Object.keys(setting.options)) {
    if (option in rule.options) continue;
    usable = false;
    const names = Object.keys(rule.options);
    diagnostics.push(error(CODES.meshFile, `rule ${setting.name} has no option "${option}"${names.length ? `; its options: ${names.map((n) => `${n} (${rule.options[n]})`).join(', ')}` : '; it takes only a severity'}`, setting.optionLocations[option]));
  }
  for (const { option, problem } of rule.checkOptions?.(setting.options) ?? []) {
    usable = false;
    diagnostics.push(error(CODES.meshFile, `rule ${setting.name}: ${problem}`, option ? setting.optionLocations[option] : setting.location));
  }
  return usable;
}
