/**
 * The older mesh `meshform breaking --against` compares with: a folder of specs as it is, or the
 * same paths at a git revision, exported with `git archive` into a temporary folder (local
 * repository only: nothing is fetched).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export class AgainstError extends Error {}

export interface Against {
  /** `folder` or `git`. */
  kind: 'folder' | 'git';
  /** The spec paths to load for the older mesh, and the folder they are relative to. */
  paths: string[];
  cwd: string;
  /** How an old file is shown: `main:specs/x.yaml` for a revision, the path for a folder. */
  describe(file: string): string;
  cleanup(): void;
}

function git(args: string[], cwd: string, input?: Buffer): { ok: boolean; stdout: Buffer; stderr: string } {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  if (r.error) throw new AgainstError(`git: ${r.error.message}`);
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr.toString('utf8').trim() };
}

/**
 * @param against a folder, or a git revision (branch, tag, commit, `HEAD~1`) of the repository
 *   around `cwd`. A folder of that name wins over a revision.
 * @param paths the spec paths of the current mesh (relative to `cwd`); at a revision the same
 *   paths are read, and a path that did not exist then is an empty part of the older mesh.
 */
export function resolveAgainst(against: string, paths: string[], givenCwd: string): Against {
  const folder = path.resolve(givenCwd, against);
  if (fs.existsSync(folder) && fs.statSync(folder).isDirectory()) {
    return { kind: 'folder', paths: [folder], cwd: givenCwd, describe: (file) => file, cleanup: () => undefined };
  }
  // git names real paths: compare like with like.
  const cwd = fs.realpathSync(givenCwd);
  if (!git(['rev-parse', '--is-inside-work-tree'], cwd).ok) {
    throw new AgainstError(`--against ${against}: no such folder, and ${cwd} is not inside a git repository`);
  }
  const commit = git(['rev-parse', '--verify', '--quiet', `${against}^{commit}`], cwd);
  if (!commit.ok) throw new AgainstError(`--against ${against}: neither a folder nor a git revision of this repository`);
  const top = git(['rev-parse', '--show-toplevel'], cwd).stdout.toString('utf8').trim();
  const inRepo = paths.map((p) => path.relative(top, path.resolve(cwd, p)));
  const outside = inRepo.find((p) => p.startsWith('..') || path.isAbsolute(p));
  if (outside !== undefined) throw new AgainstError(`--against ${against}: ${outside} is outside the repository ${top}`);

  const dir = fs.mkdtempSync(path.join(tmpdir(), 'meshform-against-'));
  try {
    for (const p of inRepo) {
      // One archive per path: a path that did not exist at that revision is simply absent.
      const archive = git(['archive', '--format=tar', commit.stdout.toString('utf8').trim(), '--', p === '' ? '.' : p], top);
      if (!archive.ok) {
        if (/did not match any files|pathspec/.test(archive.stderr)) continue;
        throw new AgainstError(`git archive ${against} -- ${p}: ${archive.stderr}`);
      }
      const tar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout, maxBuffer: 1 << 30 });
      if (tar.status !== 0) throw new AgainstError(`extracting ${against}:${p}: ${tar.stderr?.toString('utf8').trim() || tar.error?.message}`);
    }
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const prefix = path.relative(top, cwd);
  const oldCwd = path.join(dir, prefix);
  fs.mkdirSync(oldCwd, { recursive: true });
  return {
    kind: 'git',
    // Only the paths that existed at the revision (loadMesh reports missing paths as errors).
    paths: paths.filter((p) => fs.existsSync(path.resolve(oldCwd, p))),
    cwd: oldCwd,
    describe: (file) => `${against}:${path.isAbsolute(file) ? path.relative(oldCwd, file) : file}`,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
