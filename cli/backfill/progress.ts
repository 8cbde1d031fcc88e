/** The progress bar with ETA on stderr (cli-progress), one bar per phase; silent off a terminal. */
import { Presets, SingleBar } from 'cli-progress';
import { NO_PROGRESS, type ProgressSink } from './pages';

export function stderrProgress(enabled: boolean): ProgressSink {
  if (!enabled || !process.stderr.isTTY) return NO_PROGRESS;
  let bar: SingleBar | null = null;
  return {
    start(phase, total, done) {
      bar = new SingleBar(
        {
          format: `${phase.padEnd(9)} [{bar}] {value}/{total} | ETA {eta_formatted}`,
          etaBuffer: 20,
          stream: process.stderr,
        },
        Presets.shades_classic,
      );
      bar.start(total, done);
    },
    update(done, total) {
      if (!bar) return;
      if (total !== undefined) bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (bar) bar.stop();
      bar = null;
    },
  };
}
