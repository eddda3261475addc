/**
 * Shared command-line walking for the CLI commands: splits `--flag=value`, hands each argument
 * to the command's own handler, and reads a flag's value inline or from the next argument.
 */
import { UsageError } from './io';

/** One argument as seen by a command's handler. */
export interface ArgStep {
  /** The argument as typed. */
  arg: string;
  /** The flag part (`--port` of `--port=80`), or the whole argument. */
  flag: string;
  /** The flag's value: the inline part after `=`, else the next argument (consumed). */
  value(): string;
}

/**
 * Calls `visit` for each argument in order; a `visit` returning 'stop' ends the walk.
 * Returns true if the walk was stopped. A missing value throws a UsageError.
 */
export function walkArgs(args: readonly string[], visit: (step: ArgStep) => 'stop' | void): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [flag = arg, inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (visit({ arg, flag, value }) === 'stop') return true;
  }
  return false;
}
