/**
 * `meshform request-access <topic> --for <urn> [--specs <paths..>] [--write] [--patch <file>]`:
 * adds the grant to the owner's spec as a minimal edit and prints the diff; with --patch the spec
 * is left as it is and the change is written as a git patch for a pull request to the owners' repo.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadMesh } from '../model';
import { CODES } from '../vocabulary/codes';
import { domainIdOf, isProductUrn } from '../reading/urn';
import { describeFsError } from '../reading/files';
import { RequestRefused, gitDiff, mailPatch, requestEdit, type AccessKind } from '../access/request';
import { DEFAULT_SPEC_PATHS, printDiagnostics } from './inputs';
import { EXIT, UsageError, type Io } from './io';
import { specProgress } from './progress';

export interface RequestAccessOptions {
  for: string;
  specs?: string[];
  write?: boolean;
  patch?: string;
}

export async function runRequestAccess(topic: string, options: RequestAccessOptions, io: Io): Promise<number> {
  if (!isProductUrn(options.for)) throw new UsageError(`--for "${options.for}" is not a product URN, e.g. urn:acme:finance:billing`);
  const kind: AccessKind = options.write ? 'write' : 'read';
  const loaded = await loadMesh(options.specs?.length ? options.specs : DEFAULT_SPEC_PATHS, { onProgress: specProgress(io) });
  const unreadable = loaded.diagnostics.filter((d) => d.code === CODES.fileRead || d.code === CODES.noSpecs);
  if (unreadable.length > 0) {
    printDiagnostics(io, unreadable);
    return EXIT.USAGE;
  }
  let edit;
  try {
    edit = requestEdit(loaded.built, { topic, requester: options.for, kind });
  } catch (e) {
    if (!(e instanceof RequestRefused)) throw e;
    io.err(`meshform request-access: refused: ${e.message}`);
    return EXIT.FAILED;
  }
  if (!loaded.built.products.some((p) => p.id === domainIdOf(options.for))) {
    io.err(`meshform request-access: note: no spec in ${(options.specs ?? DEFAULT_SPEC_PATHS).join(', ')} has id ${options.for}; the owners' validate will warn until it is part of their mesh`);
  }
  const absolute = path.resolve(edit.file);
  const repoPath = repositoryPath(absolute);
  const diff = gitDiff(repoPath, edit.before, edit.after);
  const what = kind === 'read' ? 'read access to' : 'write access to (an input topic)';
  const subject = `Grant ${options.for} ${kind === 'read' ? 'read' : 'write'} access to ${edit.topic.name}`;
  io.out(diff.trimEnd());
  if (options.patch) {
    const body = `Requested with: meshform request-access ${edit.topic.name} --for ${options.for}${kind === 'write' ? ' --write' : ''}\n\nAdds ${edit.tag} to the channel of ${edit.topic.name}, which ${edit.owner.id} owns (${edit.owner.owners.join(', ')}).`;
    try {
      writeFileSync(options.patch, mailPatch(diff, subject, body, author(path.dirname(absolute), options.for), new Date()), { flag: 'wx' });
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'EEXIST' ? 'it exists already: remove it or choose another file' : describeFsError(e);
      io.err(`meshform request-access: cannot write ${options.patch}: ${reason}`);
      return EXIT.USAGE;
    }
    io.err(`meshform request-access: wrote ${options.patch} (${edit.file} unchanged): ${subject}. Send it to ${edit.owner.id}'s owners (${edit.owner.owners.join(', ')}): git am ${path.basename(options.patch)} in their repository`);
    return EXIT.OK;
  }
  try {
    writeFileSync(absolute, edit.after);
  } catch (e) {
    io.err(`meshform request-access: cannot write ${edit.file}: ${describeFsError(e)}`);
    return EXIT.USAGE;
  }
  io.err(`meshform request-access: added ${edit.tag} to ${edit.file}, giving ${options.for} ${what} ${edit.topic.name}; ${edit.owner.id}'s owners (${edit.owner.owners.join(', ')}) review the change`);
  return EXIT.OK;
}

/** The spec's path inside its git repository (what a patch names), else relative to the working directory. */
function repositoryPath(file: string): string {
  const top = spawnSync('git', ['-C', path.dirname(file), 'rev-parse', '--show-toplevel'], { encoding: 'utf8' });
  const root = top.status === 0 ? top.stdout.trim() : process.cwd();
  return path.relative(root, file).split(path.sep).join('/');
}

/** `Name <email>` from git's configuration, else the requesting product. */
function author(dir: string, requester: string): string {
  const get = (key: string) => {
    const r = spawnSync('git', ['-C', dir, 'config', key], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : '';
  };
  const name = get('user.name');
  const email = get('user.email');
  return name && email ? `${name} <${email}>` : `${requester} <meshform-request-access@invalid>`;
}
