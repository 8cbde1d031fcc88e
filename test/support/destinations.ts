/**
 * What the per-CRM destination tests share: the simulators and connectors each test starts and
 * stops, a destination's context, and a promise's rejection.
 */
import type { TenantConfig } from '../../connector/config/tenant-config.generated';
import { destinationDescriptions } from '../../cli/config/destinations';
import type { DestinationDescription } from '../../connector/destinations/describe';
import type { DestinationContext } from '../../connector/destinations/types';
import type { Connector } from '../../connector/runtime';
import { startRun, type Run } from './replay-truth';

interface Closable {
  server: { close(): Promise<void> };
}

/**
 * Registers an afterEach that stops the connectors a test started, then closes its simulators;
 * returns how to start them.
 */
export function stopAfterEach(): {
  sim<S extends Closable>(starting: Promise<S>): Promise<S>;
  run(config: TenantConfig, secrets: Record<string, string>): Run;
} {
  const sims: Closable[] = [];
  const connectors: Connector[] = [];
  afterEach(async () => {
    for (const c of connectors.splice(0)) c.stop();
    await Promise.all(sims.splice(0).map((s) => s.server.close()));
  });
  return {
    async sim(starting) {
      const s = await starting;
      sims.push(s);
      return s;
    },
    run(config, secrets) {
      const run = startRun(config, secrets);
      connectors.push(run.connector);
      return run;
    },
  };
}

/** A context of the run's first destination, for one-off calls such as testAuth. */
export function firstContext(run: Run): DestinationContext {
  return (run.connector.destinations[0] as Connector['destinations'][number]).context();
}

export async function failureOf(promise: Promise<unknown>): Promise<Error & { kind: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { kind: string };
  }
  throw new Error('expected a rejection');
}

/** The run's first destination's testAuth, with its own context (settings resolved at registration). */
export function testAuthOf(run: Run): Promise<string> {
  return testAuthOfDestination(run.connector.destinations[0] as Connector['destinations'][number]);
}

/** A running destination's testAuth (its type's description, the CLI side), with its own context. */
export function testAuthOfDestination(runtime: Connector['destinations'][number]): Promise<string> {
  return (destinationDescriptions[runtime.destination.type] as DestinationDescription).testAuth(
    runtime.context(),
  );
}
