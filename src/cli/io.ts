/** Where a CLI command writes. Tests pass buffers; the binary passes process.stdout/stderr. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Exit codes shared by every command (README, "CLI"). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * A mistake in the arguments: the command prints `message` on one line, a hint to its `--help` on
 * the next, and exits 2.
 */
export class UsageError extends Error {}

/**
 * Input the command cannot use (a missing or non-regular file, a port in use): `message` on one
 * line, exit 2, no hint (the arguments were fine).
 */
export class InputError extends Error {}
