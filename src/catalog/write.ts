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

/**
 * Writes the files as they come (`sitePages` renders each page only when asked for it), then
 * removes the pages of an earlier catalog that are gone and writes the manifest. The folder is
 * checked before the first file is written.
 */
export async function writeSite(dir: string, files: Iterable<readonly [string, string | Buffer]> | AsyncIterable<readonly [string, string | Buffer]>): Promise<{ written: string[]; removed: string[] }> {
  const previous = previousFiles(dir);
  try {
    fs.mkdirSync(dir, { recursive: true });
    const written: string[] = [];
    const folders = new Set<string>();
    for await (const [file, content] of files) {
      const target = path.join(dir, file);
      const folder = path.dirname(target);
      if (!folders.has(folder)) {
        fs.mkdirSync(folder, { recursive: true });
        folders.add(folder);
      }
      fs.writeFileSync(target, content);
      written.push(file);
    }
    const kept = new Set(written);
    const removed = previous.filter((file) => !kept.has(file));
    for (const file of removed) fs.rmSync(path.join(dir, file), { force: true });
    fs.writeFileSync(path.join(dir, MANIFEST), JSON.stringify({ generator: 'meshform catalog', files: [...written].sort() }, null, 2) + '\n');
    return { written, removed };
  } catch (e) {
    // Only the file system's refusals are about the folder; anything else (a page that cannot be rendered) is not.
    if (e instanceof SiteWriteError || (e as NodeJS.ErrnoException)?.code === undefined) throw e;
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
