import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `util.parseArgs` with its exceptions turned into one-line usage errors. */
export function parseCommandArgs<O extends Options>(
  argv: string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

export function requireStack(stack: string | undefined): string {
  if (!stack) throw new UsageError('--stack <name> is required (a stack file stacks/Pulumi.<name>.yaml)');
  return stack;
}
