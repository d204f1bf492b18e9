/** `--help` of every command and subcommand: exit 0, on stdout, recorded (test/cli/recorded/help/). */
import type { Command } from 'commander';
import { join } from 'node:path';
import { meshform } from '../../src/cli/main';
import { commandPath, forEachCommand } from '../../src/cli/program';
import { expectRecorded } from '../support/recorded';
import { runCli } from './support';

const RECORDED = join(__dirname, 'recorded', 'help');

function allCommands(): string[][] {
  const paths: string[][] = [];
  const { program } = meshform({ out: () => undefined, err: () => undefined, interactive: false });
  forEachCommand(program, (command: Command) => {
    if (command.name() !== 'help') paths.push(commandPath(command).split(' ').slice(1));
  });
  return paths;
}

describe.each(allCommands().map((path) => [['meshform', ...path].join(' '), path]))('%s --help', (_name, path) => {
  it('prints its usage, options and description on stdout with exit 0', async () => {
    const run = await runCli(...(path as string[]), '--help');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^Usage: ${['meshform', ...(path as string[])].join(' ')} `));
    for (const line of run.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expectRecorded(join(RECORDED, `${['meshform', ...(path as string[])].join('-')}.txt`), run.stdout);
  });

  it('is also what `help` prints for it', async () => {
    if ((path as string[]).length === 0) return;
    const parents = (path as string[]).slice(0, -1);
    const run = await runCli(...parents, 'help', (path as string[])[(path as string[]).length - 1]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe((await runCli(...(path as string[]), '--help')).stdout);
  });
});

describe('a command group without its subcommand', () => {
  it.each([['kafka'], ['crossplane'], []])('meshform %s prints its usage on stderr, nothing on stdout, exit 2', async (...path) => {
    const run = await runCli(...path);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Usage: meshform/);
  });
});

describe('usage mistakes', () => {
  it.each([
    [['frobnicate'], "meshform: unknown command 'frobnicate' (see 'meshform --help')"],
    [['plna', '--stack', 'dev'], "meshform: unknown command 'plna'; did you mean plan? (see 'meshform --help')"],
    [['kafka', 'destroy'], "meshform kafka: unknown command 'destroy' (see 'meshform kafka --help')"],
    [['plan', '--stack', 'dev', '--frobnicate'], "meshform plan: unknown option '--frobnicate' (see 'meshform plan --help')"],
    [['plan'], "meshform plan: required option '-s, --stack <name>' not specified (see 'meshform plan --help')"],
    [['kafka', 'apply', 'specs'], "meshform kafka apply: required option '-s, --stack <name>' not specified (see 'meshform kafka apply --help')"],
    [['plan', '--stack'], "meshform plan: option '-s, --stack <name>' argument missing (see 'meshform plan --help')"],
    [['kafka', 'export', 'specs', '--domain', 'urn:acme:x'], "meshform kafka export: too many arguments for 'export'. Expected 0 arguments but got 1. (see 'meshform kafka export --help')"],
  ])('%j: one line on stderr, exit 2', async (argv, message) => {
    const run = await runCli(...argv);
    expect(run).toMatchObject({ code: 2, stdout: '', stderr: message });
  });
});

describe('--version', () => {
  it('prints the package version', async () => {
    const run = await runCli('--version');
    expect(run).toMatchObject({ code: 0, stdout: require('../../package.json').version, stderr: '' });
  });
});
