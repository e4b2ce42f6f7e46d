import { describe, expect, it } from 'vitest';
import { policyFromBody } from './replication-policy.ts';

const push = { name: 'p', dest_registry: { id: 3 } };

describe('replication policy body (handler/replication.go, model.go Validate)', () => {
  it('applies the handler defaults', () => {
    const policy = policyFromBody({ ...push, replicate_deletion: true, speed: -5 }, 'admin');
    expect(policy).toMatchObject({
      enabled: false,
      override: false,
      replicate_deletion: false,
      dest_namespace_replace_count: -1,
      speed_kb: 0,
      src_registry_id: 0,
      dest_registry_id: 3,
    });
    expect(policyFromBody({ ...push, deletion: true }, 'admin').replicate_deletion).toBe(true);
  });

  it.each([
    [{ dest_registry: { id: 3 } }, 'empty name'],
    [{ name: 'p' }, "either src_registry or dest_registry should be empty and the other one shouldn't be empty"],
    [
      { ...push, src_registry: { id: 2 } },
      "either src_registry or dest_registry should be empty and the other one shouldn't be empty",
    ],
    [{ ...push, filters: [{ type: 'size', value: '1' }] }, 'invalid filter type'],
    [{ ...push, filters: [{ type: 'label', value: 'x' }] }, "the type of label filter value isn't string slice"],
    [{ ...push, filters: [{ type: 'resource', value: 'chart' }] }, 'invalid resource filter: chart'],
    [
      { ...push, filters: [{ type: 'name', value: 'a', decoration: 'excludes' }] },
      'only tag and label filter support decoration',
    ],
    [{ ...push, dest_namespace: 'Bad_NS' }, 'invalid destination namespace: Bad_NS'],
    [{ ...push, trigger: { type: 'hourly' } }, 'invalid trigger type'],
    [{ ...push, trigger: { type: 'scheduled' } }, 'the cron string cannot be empty when the trigger type is scheduled'],
    [
      { ...push, trigger: { type: 'scheduled', trigger_settings: { cron: '5 0 * * * *' } } },
      'the 1st field (indicating Seconds of time) of the cron setting must be 0',
    ],
    [
      { ...push, trigger: { type: 'scheduled', trigger_settings: { cron: '0 * * * * *' } } },
      '* is not allowed for the Minutes field of the cron setting of replication policy',
    ],
  ])('refuses %j with "%s"', (body, message) => {
    expect(() => policyFromBody(body as Record<string, unknown>, 'admin')).toThrow(message);
  });

  it('single active replication with an event trigger is a plain error (masked 500)', () => {
    let caught: unknown;
    try {
      policyFromBody({ ...push, single_active_replication: true, trigger: { type: 'event_based' } }, 'admin');
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).constructor).toBe(Error);
  });
});
