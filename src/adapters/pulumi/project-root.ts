/**
 * The Pulumi project folder (where `Pulumi.yaml` is), which `meshform:specs` and the mesh file are
 * relative to. The engine runs a program whose `main` is a file (`main: bin/pulumi-program.js`)
 * from that file's folder, so the working directory is not the project folder in general.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const PROJECT_FILES = ['Pulumi.yaml', 'Pulumi.yml'];

const isProjectFolder = (dir: string) => PROJECT_FILES.some((f) => fs.existsSync(path.join(dir, f)));

/**
 * In order: the root directory the engine hands the program (`PULUMI_NODEJS_ROOT_DIRECTORY`, set by
 * Pulumi's runner from the language host's program info), when it is a project folder; else the
 * nearest folder from `cwd` upwards that holds `Pulumi.yaml`; else `cwd`.
 */
export function projectRoot(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const given = env.PULUMI_NODEJS_ROOT_DIRECTORY;
  if (given && path.isAbsolute(given) && isProjectFolder(given)) return given;
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (isProjectFolder(dir)) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}
