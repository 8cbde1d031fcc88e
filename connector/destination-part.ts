/**
 * One destination's share of a call routed to several (routed-call.ts). Its own module, so a tenant
 * with a single destination does not carry it (the build stubs it, cli/commands/build.ts).
 */
import type { DeliveryOutcome, Waiter } from './delivery/batcher';
import type { WalletEvent } from './domain/types';
import type { DestinationSettled } from './routed-call';

/** The call as its parts see it: which destination answered, and how. */
export interface PartedCall {
  readonly joinKey: string;
  event(): WalletEvent;
  answer(index: number, result: DestinationSettled): void;
}

/** Tells the call which destination answered. */
export class DestinationPart implements Waiter {
  readonly joinKey: string;

  constructor(
    private readonly call: PartedCall,
    private readonly index: number,
  ) {
    this.joinKey = call.joinKey;
  }

  event(): WalletEvent {
    return this.call.event();
  }

  resolve(outcome: DeliveryOutcome): void {
    this.call.answer(this.index, { ok: true, value: outcome });
  }

  reject(error: unknown): void {
    this.call.answer(this.index, { ok: false, error });
  }
}
