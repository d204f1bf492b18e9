/** Which files are specs: the paths given, folders searched recursively for YAML and JSON. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SPEC_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

export interface SpecFile {
  path: string;
  /** The folder `$ref`s of this spec must stay inside. */
  root: string;
}

export interface Discovery {
  files: SpecFile[];
  /** Paths given that do not exist. */
  missing: string[];
}

export function discoverSpecFiles(paths: readonly string[], cwd: string): Discovery {
  const files = new Map<string, SpecFile>();
  const missing: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      missing.push(given);
      continue;
    }
    if (stat.isDirectory()) {
      for (const file of walk(absolute)) if (!files.has(file)) files.set(file, { path: file, root: absolute });
    } else if (!files.has(absolute)) {
      files.set(absolute, { path: absolute, root: path.dirname(absolute) });
    }
  }
  return { files: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), missing };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    // Hidden folders and node_modules never hold specs.
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile() && SPEC_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) out.push(full);
  }
  return out;
}
