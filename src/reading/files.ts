/** Which files are specs: the paths given, folders searched recursively for YAML and JSON. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareText } from '../compare';
import { isMeshFileName } from './mesh-file';
import { isInside, isReallyInside, realPathOf } from './refs';

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
  /** Paths that exist but cannot be looked at or listed (absolute path and the system's reason). */
  unreadable: Array<{ path: string; reason: string }>;
  /** Symbolic links (to a spec or a folder) whose target is outside the folder searched: neither read nor followed. */
  escapes: Array<{ path: string; root: string }>;
}

export function discoverSpecFiles(paths: readonly string[], cwd: string): Discovery {
  const files = new Map<string, SpecFile>();
  const missing: string[] = [];
  const unreadable: Discovery['unreadable'] = [];
  const escapes: Discovery['escapes'] = [];
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') missing.push(given);
      else unreadable.push({ path: absolute, reason: describeFsError(e) });
      continue;
    }
    // Keyed by real path: a file reached twice (given twice, or through a link) is one spec.
    if (stat.isDirectory()) {
      const found = walk(absolute, { visited: new Set(), unreadable, escapes, root: absolute, realRoot: realPathOf(absolute) });
      for (const file of found) {
        const real = file.real ?? realPath(file.path);
        if (!files.has(real)) files.set(real, { path: file.path, root: absolute });
      }
    } else if (!isReallyInside(path.dirname(absolute), absolute)) {
      escapes.push({ path: absolute, root: path.dirname(absolute) });
    } else if (!isMeshFileName(absolute)) {
      const real = realPath(absolute);
      if (!files.has(real)) files.set(real, { path: absolute, root: path.dirname(absolute) });
    }
  }
  return { files: [...files.values()].sort((a, b) => compareText(a.path, b.path)), missing, unreadable, escapes };
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** Why a file system call failed, in words a user reads (`permission denied`), with the code. */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOENT: 'no such file or folder',
    EISDIR: 'is a folder',
    ENOTDIR: 'a part of the path is not a folder',
    EEXIST: 'already exists',
    ELOOP: 'too many symbolic links',
    EMFILE: 'too many open files',
  };
  return err?.code ? `${words[err.code] ?? err.code.toLowerCase()} (${err.code})` : String((e as Error)?.message ?? e);
}

interface Walk {
  /** Real folder paths walked: a link back up the tree is walked once, not forever. */
  visited: Set<string>;
  unreadable: Discovery['unreadable'];
  escapes: Discovery['escapes'];
  /** The folder searched, as given and as its real path. */
  root: string;
  realRoot: string;
}

/**
 * Symbolic links are followed while their target stays inside the folder searched (monorepos link
 * shared specs in); a link out of it is reported, never followed.
 */
function walk(dir: string, w: Walk): Array<{ path: string; real?: string }> {
  const { visited, unreadable } = w;
  let entries: fs.Dirent[];
  let real: string;
  try {
    real = fs.realpathSync(dir);
    if (visited.has(real)) return [];
    visited.add(real);
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    unreadable.push({ path: dir, reason: describeFsError(e) });
    return [];
  }
  const out: Array<{ path: string; real?: string }> = [];
  for (const entry of entries) {
    // Hidden folders and node_modules never hold specs.
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    // A file that is no link, in a folder whose real path is known, is there: no need to ask again.
    let realFile: string | undefined = isFile ? path.join(real, entry.name) : undefined;
    if (entry.isSymbolicLink()) {
      realFile = undefined;
      // A mesh file is not a spec: the mesh file reader refuses a linked-out one itself.
      if (!isInside(w.realRoot, realPathOf(full)) && !isMeshFileName(full)) {
        w.escapes.push({ path: full, root: w.root });
        continue;
      }
      try {
        const target = fs.statSync(full);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch {
        // A dangling link that looks like a spec is reported when it is read; others are noise.
        isFile = true;
      }
    }
    if (isDirectory) out.push(...walk(full, w));
    else if (isFile && SPEC_EXTENSIONS.includes(path.extname(entry.name).toLowerCase()) && !isMeshFileName(full)) out.push({ path: full, real: realFile });
  }
  return out;
}
