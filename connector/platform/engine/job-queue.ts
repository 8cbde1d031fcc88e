/**
 * The connector's own job queue: every callback of the bundled Promise runs here, in FIFO order.
 *
 * Nothing rings the host to drain it (NiL.JS runs native `then` callbacks on thread-pool tasks, at
 * times of its own): it is drained at the three places where the host hands control to the
 * bundle, each of which calls `runJobs` before returning: a hook call and each host promise its
 * driver delivers (hook-driver.ts), and each host timer callback (timers.ts).
 */

type Job = () => void;

const queue: Array<Job | undefined> = [];
let head = 0;
let draining = false;

/** Queues one job; it runs at the next `runJobs`. */
export function enqueueJob(job: Job): void {
  queue.push(job);
}

/**
 * Runs every queued job, including the ones queued while draining. Re-entrant calls return at once
 * (the outer loop picks their jobs up). The engine may run two host continuations at the same time;
 * the flag keeps a second drainer out, and a job stranded by that race runs at the next drain (the
 * hook driver drains again before it decides a call has stalled).
 */
export function runJobs(): void {
  if (draining) return;
  draining = true;
  try {
    while (head < queue.length) {
      const job = queue[head];
      queue[head] = undefined;
      head += 1;
      if (!job) continue;
      try {
        job();
      } catch {
        // A job is a promise reaction: its own errors were already turned into rejections.
      }
    }
  } finally {
    if (head >= queue.length) {
      queue.length = 0;
      head = 0;
    }
    draining = false;
  }
}

/** Jobs queued and not yet run. */
export function queuedJobs(): number {
  return queue.length - head;
}
