/**
 * p-retry as the upload bundle takes it: what of it the connector never reaches is left out at
 * build time. connector/delivery/sender.ts passes `retries`, `minTimeout`, `onFailedAttempt` and
 * `shouldRetry` (the engine probe bundle `maxTimeout` and `randomize` too); nothing passes an
 * abort `signal`, `maxRetryTime`, `shouldConsumeRetry` or `unref`. Those four are refused by name
 * when passed, and the code that serves them is left out: the abort listeners around each wait,
 * the elapsed-time budget (and with it the `performance.now()` read), the retries not consumed.
 */
import { patchSource, replaceFunction } from './cut-methods';

/**
 * What p-retry does after a failed attempt, without the four options above: a TypeError is
 * rethrown as p-retry does for one that is not a network error (is-network-error's messages are
 * those of a fetch failing, and every fetch failure reaches the retry loop as http.ts's
 * HttpTransportError, never as a TypeError), so is-network-error is left out too. Written against
 * the reviewed original (P_RETRY_ON_FAILURE_REVIEWED): a new p-retry fails the build until compared.
 */
const P_RETRY_ON_FAILURE = `async function onAttemptFailure({error, attemptNumber, retriesConsumed, options}) {
	const normalizedError = error instanceof Error
		? error
		: new TypeError(\`Non-error was thrown: "\${error}". You should only throw errors.\`);
	if (normalizedError instanceof AbortError) {
		throw normalizedError.originalError;
	}
	const retriesLeft = Number.isFinite(options.retries)
		? Math.max(0, options.retries - retriesConsumed)
		: options.retries;
	const context = Object.freeze({error: normalizedError, attemptNumber, retriesLeft, retriesConsumed});
	await options.onFailedAttempt(context);
	if (retriesLeft <= 0 || normalizedError instanceof TypeError) {
		throw normalizedError;
	}
	if (!await options.shouldRetry(context)) {
		throw normalizedError;
	}
	const delayTime = calculateDelay(retriesConsumed, options);
	if (delayTime > 0) {
		await new Promise(resolve => {
			setTimeout(resolve, delayTime);
		});
	}
	return true;
}`;
const P_RETRY_ON_FAILURE_REVIEWED = '9eb4546e2db7';

const P_RETRY_REFUSED = `options = {...options};
	if (options.signal !== undefined || options.maxRetryTime !== undefined || options.shouldConsumeRetry !== undefined || options.unref !== undefined) {
		throw new Error('p-retry signal, maxRetryTime, shouldConsumeRetry and unref are not built into this bundle');
	}`;

/** [from, to], each applied everywhere in pRetry itself; a missing `from` fails the build. */
const P_RETRY_PATCHES: Array<[string, string]> = [
  ['options = {...options};', P_RETRY_REFUSED],
  ['\toptions.maxRetryTime ??= Number.POSITIVE_INFINITY;\n', ''],
  ['\toptions.shouldConsumeRetry ??= () => true;\n', ''],
  ["\tvalidateNumberOption('maxRetryTime', options.maxRetryTime, {min: 0, allowInfinity: true});\n", ''],
  ['options.signal?.throwIfAborted();', ''],
  // Only the elapsed-time budget read it.
  ['const startTime = performance.now();', 'const startTime = 0;'],
];

/** p-retry/index.js as the bundle takes it (see the top of this file). */
export function pRetrySource(file: string, source: string): string {
  const reduced = replaceFunction(
    file,
    source,
    'onAttemptFailure',
    P_RETRY_ON_FAILURE,
    P_RETRY_ON_FAILURE_REVIEWED,
  );
  return patchSource(file, reduced, P_RETRY_PATCHES, 'p-retry', 'cli/build/p-retry-cuts.ts');
}
