/**
 * The waits of a suite case's socket side (the server role's driver, the client role's case peer):
 * each resolves when its test holds, when its time is up, or when the socket it watches closed.
 */
export class Waits {
  private readonly checks = new Set<() => void>();
  private readonly ends = new Set<() => void>();

  /**
   * Resolves true when `test` holds, false after `ms`, or false at once when `test` answers null
   * (what it watches is gone). `test` is asked again on every `wake`.
   */
  wait(test: () => boolean | null, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = (): void => {
        const held = test();
        if (held !== false) done(held === true);
      };
      const end = (): void => done(false);
      // setTimeout takes at most 2^31-1 ms (more, or Infinity, would fire at once).
      const timer = setTimeout(end, Math.min(Math.max(0, ms), 2 ** 31 - 1));
      const done = (value: boolean): void => {
        clearTimeout(timer);
        this.checks.delete(check);
        this.ends.delete(end);
        resolve(value);
      };
      this.checks.add(check);
      this.ends.add(end);
      check();
    });
  }

  /** Something changed: every wait asks its test again. */
  wake(): void {
    for (const check of [...this.checks]) check();
  }

  /** Time is up: every wait ends, false. */
  endAll(): void {
    for (const end of [...this.ends]) end();
  }
}
