/** Where a CLI command writes. Tests pass buffers; the binary passes process.stdout/stderr. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Exit codes shared by every command (README, "CLI"). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A usage or input error: the command prints `message` on one line and exits 2. */
export class UsageError extends Error {}
