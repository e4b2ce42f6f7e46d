import { describe, expect, it } from 'vitest';
import { EventBus } from './event-bus.ts';
import type { HarborEvent } from './harbor-event.ts';

const event: HarborEvent = {
  type: 'AUDIT',
  entry: { projectId: 1, username: 'admin', resource: 'p', resourceType: 'project', operation: 'create' },
};

describe('EventBus', () => {
  it('hands every event to every subscriber, in subscription order', async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.subscribe('a', async (e) => void seen.push(`a:${e.type}`));
    bus.subscribe('b', async (e) => void seen.push(`b:${e.type}`));
    await bus.publish(event);
    expect(seen).toEqual(['a:AUDIT', 'b:AUDIT']);
  });

  it('logs a failing subscriber and still runs the others, never failing the publisher', async () => {
    const lines: string[] = [];
    const bus = new EventBus((line) => lines.push(line));
    const seen: string[] = [];
    bus.subscribe('audit log', async () => {
      throw new Error('database down');
    });
    bus.subscribe('webhooks', async () => void seen.push('webhooks'));
    await expect(bus.publish(event)).resolves.toBeUndefined();
    expect(seen).toEqual(['webhooks']);
    expect(lines).toEqual(['audit log failed on AUDIT: database down']);
  });
});
