/** docs/architecture.md §10: 0 success, 1 some events failed, 2 bad usage or configuration. */
export const EXIT_OK = 0;
export const EXIT_SOME_FAILED = 1;
export const EXIT_USAGE = 2;

/** An error the command line reports as bad usage or configuration (exit code 2), message only. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
