// The double's notifier (goharbor/harbor src/pkg/notifier/notifier.go@v2.15.2): publishers hand an event to
// every subscriber. Harbor runs its handlers asynchronously; here `publish` waits for them, so an audit entry
// exists and a webhook job is queued when the request that caused it is answered (deliveries still run later,
// as jobs). A failing subscriber is logged and never fails the request, as in Harbor.
import type { HarborEvent } from './harbor-event.ts';

export type EventSubscriber = (event: HarborEvent) => Promise<void>;

export class EventBus {
  readonly #subscribers: Array<{ name: string; handle: EventSubscriber }> = [];
  readonly #log: (line: string) => void;

  constructor(log: (line: string) => void = () => undefined) {
    this.#log = log;
  }

  subscribe(name: string, handle: EventSubscriber): void {
    this.#subscribers.push({ name, handle });
  }

  async publish(event: HarborEvent): Promise<void> {
    for (const { name, handle } of this.#subscribers) {
      try {
        await handle(event);
      } catch (error) {
        this.#log(`${name} failed on ${event.type}: ${(error as Error).message}`);
      }
    }
  }
}
