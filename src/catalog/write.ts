/**
 * Writes a site into a folder. The folder must be new, empty, or a catalog meshform wrote before
 * (it keeps a manifest of its files): then pages of products that are gone are removed, and
 * nothing else in the folder is touched. Any other folder is refused, never emptied.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeFsError } from '../reading/files';

export const MANIFEST = '.meshform-catalog.json';

/** The folder cannot be used; the message is one line for the user. */
export class SiteWriteError extends Error {}

export function writeSite(dir: string, files: ReadonlyMap<string, string | Buffer>): { written: number; removed: string[] } {
  const previous = previousFiles(dir);
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, content] of files) {
      const target = path.join(dir, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
    const removed = previous.filter((file) => !files.has(file));
    for (const file of removed) fs.rmSync(path.join(dir, file), { force: true });
    fs.writeFileSync(path.join(dir, MANIFEST), JSON.stringify({ generator: 'meshform catalog', files: [...files.keys()].sort() }, null, 2) + '\n');
    return { written: files.size, removed };
  } catch (e) {
    if (e instanceof SiteWriteError) throw e;
    throw new SiteWriteError(`cannot write the catalog into ${dir}: ${describeFsError(e)}`);
  }
}

/** Files an earlier catalog wrote here; [] for a missing or empty folder; refuses any other folder. */
function previousFiles(dir: string): string[] {
  let entries: string[];
  try {
    const stat = fs.statSync(dir);
    if (!stat.isDirectory()) throw new SiteWriteError(`--out ${dir} is a file, not a folder`);
    entries = fs.readdirSync(dir);
  } catch (e) {
    if (e instanceof SiteWriteError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new SiteWriteError(`cannot read ${dir}: ${describeFsError(e)}`);
  }
  if (entries.length === 0) return [];
  let manifest: { files?: unknown };
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8'));
  } catch {
    throw new SiteWriteError(`--out ${dir} is not empty and holds no catalog meshform wrote; choose a new or empty folder`);
  }
  const files = Array.isArray(manifest.files) ? manifest.files.filter((f): f is string => typeof f === 'string') : [];
  // Only plain relative paths inside the folder: a tampered manifest must not reach outside it.
  return files.filter((f) => !path.isAbsolute(f) && !f.split(/[\\/]/).includes('..'));
}
