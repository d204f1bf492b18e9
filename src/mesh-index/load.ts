/** Reading a mesh index from a file or an http(s) URL (a catalog site, an artifact store). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeFsError } from '../reading/files';
import { type MeshIndex, parseMeshIndex } from './index';

/** The index cannot be had; the message is one line for the user. */
export class MeshIndexError extends Error {}

const TIMEOUT_MS = 30_000;

export async function loadMeshIndex(where: string, cwd: string): Promise<MeshIndex> {
  let text: string;
  if (/^https?:\/\//i.test(where)) {
    let res: Response;
    try {
      res = await fetch(where, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new MeshIndexError(`--mesh ${where}: cannot fetch it: ${(e as Error).name === 'TimeoutError' ? 'timed out' : cause?.code ?? cause?.message ?? (e as Error).message}`);
    }
    if (!res.ok) throw new MeshIndexError(`--mesh ${where}: HTTP ${res.status}`);
    text = await res.text();
  } else {
    try {
      text = fs.readFileSync(path.resolve(cwd, where), 'utf8');
    } catch (e) {
      throw new MeshIndexError(`--mesh ${where}: cannot read it: ${describeFsError(e)}`);
    }
  }
  const index = parseMeshIndex(text, `--mesh ${where}`);
  if (typeof index === 'string') throw new MeshIndexError(index);
  return index;
}
