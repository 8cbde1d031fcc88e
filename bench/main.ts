/**
 * Runs a benchmark script's main and ends the process with its outcome: lingering sockets or timers
 * of abandoned work (a backlog left queued) must not keep a finished benchmark alive.
 */
export function runAsMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
