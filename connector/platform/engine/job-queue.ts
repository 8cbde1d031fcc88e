/**
 * The connector's own job queue: every callback of the bundled Promise runs here, in FIFO order.
 *
 * NiL.JS runs native `then` callbacks on its own tasks and was seen to lose work in long chains,
 * so the connector's asynchrony never depends on the engine's promise ordering. The host is only
 * asked to call `drain` later; the order of jobs is ours.
 */

type Job = () => void;

const queue: Job[] = [];
let head = 0;
let kicked = false;

/** Runs every queued job, including the ones queued while draining, then releases the kick. */
function drain(): void {
  try {
    while (head < queue.length) {
      const job = queue[head] as Job;
      queue[head] = undefined as never;
      head += 1;
      try {
        job();
      } catch {
        // A job is a promise reaction: its own errors were already turned into rejections.
      }
    }
  } finally {
    queue.length = 0;
    head = 0;
    kicked = false;
  }
}

export type Kick = (run: () => void) => void;

function pickKick(): Kick {
  if (typeof queueMicrotask === 'function') {
    const qm = queueMicrotask;
    return (run) => qm(run);
  }
  if (typeof Promise === 'function' && typeof Promise.resolve === 'function') {
    // The engine's own promise is used only as a doorbell: one resolved promise, one callback.
    const resolved = Promise.resolve();
    return (run) => {
      resolved.then(run);
    };
  }
  if (typeof setTimeout === 'function') {
    const st = setTimeout;
    return (run) => {
      st(run, 0);
    };
  }
  throw new Error('No way to schedule work: the host lends neither queueMicrotask, Promise nor setTimeout');
}

let kick: Kick | undefined;

/** Queues one job; the first job after an idle period rings the host once. */
export function enqueueJob(job: Job): void {
  queue.push(job);
  if (kicked) return;
  kicked = true;
  if (!kick) kick = pickKick();
  kick(drain);
}
