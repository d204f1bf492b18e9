import { InvalidArgumentError, Option } from 'commander';
import type { CatalogOptions } from '../catalog';
import type { CommandGroup } from '../program';
import { outOption, pathsArgument, stackOption } from '../options';

/** The catalog loads Preact and elkjs; only when it runs. */
const catalog = () => require('../catalog') as typeof import('../catalog');

const HELP = `
Without --stack the pages show the specs' values and meshform's defaults (partitions, replicas,
principals); with it, what that stack provisions. Specs with mesh-wide errors (a consumption
without a grant) are still shown, with the problem marked; the site is written, exit code 1.
--out takes a new or empty folder, or one an earlier catalog wrote (its stale pages are removed).

Exit codes: 0 written, 1 written but the specs have errors (or none could be read),
2 usage or configuration error (bad flags, unknown stack, unreadable report file, --out not usable).`;

export const register: CommandGroup = (program, cli) => {
  program
    .command('catalog')
    .description('write the mesh as a static site: products by domain, lineage, access matrix, how to get access')
    .addArgument(pathsArgument())
    .addOption(stackOption(false, 'stack whose sizes, datasets and accounts to show'))
    .addOption(outOption('folder to write the site into (open <dir>/index.html)'))
    .addOption(new Option('--serve', 'also serve the site on 127.0.0.1 until Ctrl-C (without --out: from a temporary folder)'))
    .addOption(new Option('--port <n>', 'port for --serve (default: any free port)').argParser(portParser))
    .addOption(new Option('--storage <file>', "show a 'meshform kafka storage --json' report"))
    .addOption(new Option('--consumption <file>', "show a 'meshform kafka consumption --json' report"))
    .addOption(new Option('--title <text>', 'site title (default: Data mesh catalog)'))
    .addHelpText('after', HELP)
    .action(cli.action((paths: string[], options: CatalogOptions) => catalog().runCatalog(paths, options, cli.io)));
};

/** `--port`: 0-65535, 0 for any free port (parsed here: loading the catalog would load Preact and elkjs to read a flag). */
function portParser(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new InvalidArgumentError(`--port must be a number from 0 to 65535 (0: any free port), not '${text}'`);
  return port;
}
