// Audit logs and webhooks as Harbor v2.15 writes and sends them. Every check works in its own run-id project;
// webhook checks start a receiver on an address of this machine that Harbor reaches (webhook-receiver.ts) and read
// back what it recorded. Audit entries: goharbor/harbor src/controller/event/topic.go ResolveToAuditLog,
// src/pkg/auditext@v2.15.2 (webhook policy changes are not audited by v2.15). Deliveries: src/pkg/notifier,
// src/jobservice/job/impl/notification/webhook_job.go@v2.15.2.
import { randomBytes } from 'node:crypto';
import { describe, expect } from 'vitest';
import { buildImage } from '../../fixtures/images/image-builder.ts';
import { RegistryError } from '../../lib/oci/registry-error.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import { pollUntil } from '../../lib/poll.ts';
import { defineCheck } from '../check.ts';
import type { CheckContext } from '../check.ts';
import { registryClient } from '../support/harbor-clients.ts';
import { deleteProjectWithRepositories } from '../support/harbor-projects.ts';
import { canHurryRetries, hurryRetries } from '../support/job-retries.ts';
import {
  createPolicy as createReplicationPolicy,
  peerClient,
  peerEndpoint,
  removeFromPeer,
  replicate,
  tasksOf,
} from '../support/replication-runs.ts';
import { createRetentionPolicy, runRetention } from '../support/retention-runs.ts';
import { catalog } from './catalog.ts';
import {
  artifactEventData,
  cloudEvent,
  defaultPayload,
  scanEventData,
  VULNERABILITY_REPORT,
} from './expected-payloads.ts';
import {
  authHeader,
  bodyOf,
  createPolicy,
  expectNone,
  hookProject,
  noteDeliveries,
  policyTasks,
  push,
  startReceiver,
  subscribedProject,
  taskLog,
  uniqueImage,
  unscannableImage,
  waitForDeliveries,
} from './hook-workspace.ts';
import { sha256, type RecordedDelivery } from './webhook-receiver.ts';

interface AuditRow {
  username: string;
  resource: string;
  resource_type: string;
  operation: string;
  operation_result: boolean;
  operation_description?: string;
}

type ExpectedAudit = Pick<AuditRow, 'operation' | 'resource_type' | 'resource' | 'username'> & { what: string };

async function auditOf(ctx: CheckContext, path: string, query: Record<string, string> = {}): Promise<AuditRow[]> {
  return (await ctx.api.request<AuditRow[]>('GET', path, { query: { page_size: 100, ...query } })).data ?? [];
}

/** The artifact events of one policy target, pushed, pulled and deleted by the admin. */
async function artifactEvents(ctx: CheckContext, format: 'Default' | 'CloudEvents') {
  const receiver = await startReceiver(ctx);
  const ws = await hookProject(ctx);
  const header = authHeader(ctx);
  const path = `/hook/${format.toLowerCase()}`;
  const policyId = await createPolicy(
    ctx,
    ws,
    receiver,
    'artifact-events',
    ['PUSH_ARTIFACT', 'PULL_ARTIFACT', 'DELETE_ARTIFACT'],
    [{ path, payload_format: format, auth_header: header }],
  );
  const repository = ws.repository('app');
  const [kept, deleted] = await Promise.all([
    push(ctx, repository, 'v1', uniqueImage(ctx, 'v1')),
    push(ctx, repository, 'v2', uniqueImage(ctx, 'v2')),
  ]);
  await ctx.step(`pull ${repository}:v1`, () => ctx.registry.getManifest(repository, 'v1'));
  await ctx.step(`delete ${repository}:v2 through the artifact API`, () =>
    ctx.api.request('DELETE', `/projects/${ws.name}/repositories/app/artifacts/v2`, { expect: [200] }),
  );
  await ctx.step(`delete repository ${repository} (its last artifact, v1)`, () =>
    ctx.api.request('DELETE', `/projects/${ws.name}/repositories/app`, { expect: [200] }),
  );
  let deliveries: RecordedDelivery[] = [];
  try {
    deliveries = await waitForDeliveries(ctx, receiver, path, 5);
  } finally {
    await noteDeliveries(ctx, receiver, header);
  }
  const host = ctx.target.registryHost;
  const expected = [
    ['PUSH_ARTIFACT', kept, 'v1'],
    ['PUSH_ARTIFACT', deleted, 'v2'],
    ['PULL_ARTIFACT', kept, 'v1'],
    ['DELETE_ARTIFACT', deleted, 'v2'],
    ['DELETE_ARTIFACT', kept, 'v1'], // by the repository delete (goharbor/harbor#11711): no date_created
  ] as const;
  for (const [type, digest, tag] of expected) {
    const byRepositoryDelete = type === 'DELETE_ARTIFACT' && digest === kept;
    const data = artifactEventData(host, ws.name, repository, digest, tag, !byRepositoryDelete);
    const want =
      format === 'Default'
        ? defaultPayload(type, ctx.target.admin.username, data)
        : cloudEvent(type, ctx.target.admin.username, ws.id, policyId, data);
    const matching = deliveries.filter((d) => {
      const body = bodyOf(d);
      const resources = ((body['event_data'] ?? body['data']) as { resources?: Array<{ digest?: string }> } | undefined)
        ?.resources;
      return body['type'] === want.type && resources?.[0]?.digest === digest;
    });
    expect(matching, `one ${type} delivery of ${repository}@${digest}`).toHaveLength(1);
    const delivery = matching[0]!;
    expect(delivery.headers['content-type'], `Content-Type of the ${format} ${type} delivery`).toBe(
      format === 'Default' ? 'application/json' : 'application/cloudevents+json',
    );
    expect(delivery.authorization_sha256, `the ${type} delivery carries the configured auth header`).toBe(
      sha256(header),
    );
    expect(bodyOf(delivery), `the ${format} ${type} payload of ${repository}:${tag}`).toEqual(want);
  }
  const tasks = await pollUntil(() => policyTasks(ctx, ws, policyId), {
    timeoutMs: 15_000,
    describe: `the ${expected.length} delivery tasks of policy ${policyId} to end Success`,
    accept: (list) => list.length >= expected.length && list.every((t) => t.status === 'Success'),
    signal: ctx.signal,
  });
  ctx.evidence.note('delivery tasks', JSON.stringify(tasks, null, 2));
}

describe('audit-and-webhooks', () => {
  defineCheck(catalog.auditTrail, async (ctx) => {
    const ws = await ctx.project();
    const robot = await ctx.robot({ project: ws, actions: ['pull', 'push'], name: 'ci' });
    const asRobot = registryClient(ctx, robot.credentials);
    const admin = ctx.target.admin.username;
    const repository = ws.repository('app');
    const [byAdmin, byRobot] = await Promise.all([
      push(ctx, repository, 'v1', uniqueImage(ctx, 'admin')),
      ctx.step(
        `push ${repository}:v2 as ${robot.name}`,
        async () => (await pushImage(asRobot, repository, 'v2', uniqueImage(ctx, 'robot'))).digest,
      ),
    ]);
    await ctx.step(`pull ${repository}:v1 as ${robot.name}`, () => asRobot.getManifest(repository, 'v1'));
    await ctx.step(`pull ${repository}@${byRobot} as the admin`, () => ctx.registry.getManifest(repository, byRobot));
    await ctx.step(`delete ${repository}:v2 through the artifact API`, () =>
      ctx.api.request('DELETE', `/projects/${ws.name}/repositories/app/artifacts/v2`, { expect: [200] }),
    );
    await ctx.step(`delete repository ${repository}`, () =>
      ctx.api.request('DELETE', `/projects/${ws.name}/repositories/app`, { expect: [200] }),
    );
    const extra = await ctx.api.request<{ id: number; name: string; secret: string }>('POST', '/robots', {
      body: {
        name: 'short-lived',
        level: 'project',
        duration: 1,
        permissions: [{ kind: 'project', namespace: ws.name, access: [{ resource: 'repository', action: 'pull' }] }],
      },
      expect: [201],
    });
    ctx.secret(extra.data.secret);
    await ctx.api.request('DELETE', `/robots/${extra.data.id}`, { expect: [200] });
    const other = ctx.resourceName('gone');
    await ctx.api.request('POST', '/projects', {
      body: { project_name: other, metadata: { public: 'false' } },
      expect: [201],
    });
    await ctx.api.request('DELETE', `/projects/${other}`, { expect: [200] });

    const expected: ExpectedAudit[] = [
      { what: 'project create', operation: 'create', resource_type: 'project', resource: ws.name, username: admin },
      { what: 'robot create', operation: 'create', resource_type: 'robot', resource: robot.name, username: admin },
      {
        what: 'push by tag (admin)',
        operation: 'create',
        resource_type: 'artifact',
        resource: `${repository}:v1`,
        username: admin,
      },
      {
        what: 'push by tag (robot)',
        operation: 'create',
        resource_type: 'artifact',
        resource: `${repository}:v2`,
        username: robot.name,
      },
      {
        what: 'pull by tag (robot)',
        operation: 'pull',
        resource_type: 'artifact',
        resource: `${repository}:v1`,
        username: robot.name,
      },
      {
        what: 'pull by digest (admin)',
        operation: 'pull',
        resource_type: 'artifact',
        resource: `${repository}@${byRobot}`,
        username: admin,
      },
      {
        what: 'artifact delete',
        operation: 'delete',
        resource_type: 'artifact',
        resource: `${repository}@${byRobot}`,
        username: admin,
      },
      {
        what: 'repository delete',
        operation: 'delete',
        resource_type: 'repository',
        resource: repository,
        username: admin,
      },
      {
        what: 'robot create (second)',
        operation: 'create',
        resource_type: 'robot',
        resource: extra.data.name,
        username: admin,
      },
      { what: 'robot delete', operation: 'delete', resource_type: 'robot', resource: extra.data.name, username: admin },
      {
        what: 'project create (second)',
        operation: 'create',
        resource_type: 'project',
        resource: other,
        username: admin,
      },
      { what: 'project delete', operation: 'delete', resource_type: 'project', resource: other, username: admin },
    ];
    ctx.evidence.digest(`${repository}:v1`, byAdmin);
    const found = await pollUntil(
      async () => [
        ...(await auditOf(ctx, `/projects/${ws.name}/auditlog-exts`)),
        ...(await auditOf(ctx, '/auditlog-exts', { q: `resource=~${other}` })),
      ],
      {
        timeoutMs: 15_000,
        describe: `the ${expected.length} audit entries of the check's operations`,
        accept: (rows) =>
          expected.every((e) =>
            rows.some(
              (r) => r.operation === e.operation && r.resource === e.resource && r.resource_type === e.resource_type,
            ),
          ),
        show: (rows) => `${rows.length} entries`,
        signal: ctx.signal,
      },
    ).catch(async () => [
      ...(await auditOf(ctx, `/projects/${ws.name}/auditlog-exts`)),
      ...(await auditOf(ctx, '/auditlog-exts', { q: `resource=~${other}` })),
    ]);
    const table = expected.map((e) => {
      const row = found.find(
        (r) => r.operation === e.operation && r.resource === e.resource && r.resource_type === e.resource_type,
      );
      return {
        ...e,
        found: row ? `${row.username} / ${row.operation_result ? 'success' : 'failure'}` : 'MISSING',
        ok: row !== undefined && row.username === e.username && row.operation_result === true,
      };
    });
    ctx.evidence.note(
      'operations and their audit entries',
      [
        '| operation made | operation | resource_type | resource | expected operator | found (operator / result) |',
        '|---|---|---|---|---|---|',
        ...table.map(
          (t) => `| ${t.what} | ${t.operation} | ${t.resource_type} | ${t.resource} | ${t.username} | ${t.found} |`,
        ),
      ].join('\n'),
    );
    expectNone(
      table.filter((t) => !t.ok).map((t) => `${t.what}: expected ${t.username}, found ${t.found}`),
      'operations without their audit entry (right operator, result success)',
    );
  });

  defineCheck(catalog.noCredentials, async (ctx) => {
    const receiver = await startReceiver(ctx);
    const ws = await hookProject(ctx);
    const robot = await ctx.robot({ project: ws, actions: ['pull', 'push'], name: 'ci' });
    const header = authHeader(ctx);
    const policyId = await createPolicy(
      ctx,
      ws,
      receiver,
      'secrets',
      ['PUSH_ARTIFACT', 'PULL_ARTIFACT'],
      [{ path: '/hook/secrets', auth_header: header }],
    );
    const asRobot = registryClient(ctx, robot.credentials);
    const repository = ws.repository('app');
    await ctx.step(`push and pull ${repository}:v1 as ${robot.name}`, async () => {
      await pushImage(asRobot, repository, 'v1', uniqueImage(ctx, 'v1'));
      await asRobot.getManifest(repository, 'v1');
    });
    let deliveries: RecordedDelivery[] = [];
    try {
      deliveries = await waitForDeliveries(ctx, receiver, '/hook/secrets', 2);
    } finally {
      await noteDeliveries(ctx, receiver, header);
    }
    const tasks = await pollUntil(() => policyTasks(ctx, ws, policyId), {
      timeoutMs: 15_000,
      describe: 'the delivery tasks to end',
      accept: (list) => list.length >= 2 && list.every((t) => t.status === 'Success' || t.status === 'Error'),
      signal: ctx.signal,
    });
    const places: Array<{ where: string; text: string }> = [
      { where: 'project audit log', text: JSON.stringify(await auditOf(ctx, `/projects/${ws.name}/auditlog-exts`)) },
      ...(await Promise.all(
        tasks.map(async (t) => ({
          where: `task ${t.id} log (${t.event_type})`,
          text: await taskLog(ctx, ws, policyId, t),
        })),
      )),
    ];
    const secrets: Array<{ name: string; value: string }> = [
      { name: 'webhook auth header', value: header.replace(/^Bearer /, '') },
      { name: 'robot secret', value: robot.credentials.password },
      { name: 'admin password', value: ctx.target.admin.password },
    ];
    const rows: string[] = [];
    const leaks: string[] = [];
    for (const place of places)
      for (const secret of secrets) {
        const found = place.text.includes(secret.value);
        rows.push(`| ${place.where} | ${secret.name} | ${found ? 'FOUND' : 'not found'} |`);
        if (found) leaks.push(`${secret.name} in ${place.where}`);
      }
    for (const d of deliveries) {
      rows.push(`| delivery ${d.seq} body | any registered secret | ${d.redacted_secrets ? 'FOUND' : 'not found'} |`);
      if (d.redacted_secrets) leaks.push(`a credential in the body of delivery ${d.seq}`);
    }
    ctx.evidence.note(
      'where credentials were looked for',
      ['| where | secret | result |', '|---|---|---|', ...rows].join('\n'),
    );
    expectNone(leaks, 'credentials found in audit entries, task logs or payloads');
  });

  defineCheck(catalog.defaultPayload, (ctx) => artifactEvents(ctx, 'Default'));

  defineCheck(catalog.cloudEvents, (ctx) => artifactEvents(ctx, 'CloudEvents'));

  defineCheck(catalog.scanEvents, async (ctx) => {
    const { receiver, ws, header } = await subscribedProject(
      ctx,
      'scans',
      ['SCANNING_COMPLETED', 'SCANNING_FAILED'],
      '/hook/scans',
    );
    const good = ws.repository('app');
    const bad = ws.repository('broken');
    const [goodDigest, badDigest] = await Promise.all([
      push(ctx, good, 'v1', uniqueImage(ctx, 'scannable')),
      push(ctx, bad, 'v1', unscannableImage(ctx)),
    ]);
    for (const repo of ['app', 'broken'])
      await ctx.step(`scan ${ws.name}/${repo}:v1`, () =>
        ctx.api.request('POST', `/projects/${ws.name}/repositories/${repo}/artifacts/v1/scan`, { expect: [202] }),
      );
    let deliveries: RecordedDelivery[] = [];
    try {
      deliveries = await waitForDeliveries(ctx, receiver, '/hook/scans', 2, ctx.target.scanning.scanDeadlineMs);
    } finally {
      await noteDeliveries(ctx, receiver, header);
    }
    const host = ctx.target.registryHost;
    for (const [type, repository, digest, status] of [
      ['SCANNING_COMPLETED', good, goodDigest, 'Success'],
      ['SCANNING_FAILED', bad, badDigest, 'Error'],
    ] as const) {
      const delivery = deliveries.find((d) => bodyOf(d)['type'] === type);
      expect(delivery, `a ${type} delivery for ${repository}:v1`).toBeDefined();
      const body = bodyOf(delivery!);
      const resource = ((body['event_data'] as { resources?: Array<{ tag?: string }> }).resources ?? [])[0];
      // Harbor sends `tag` only when the scan had one (PR goharbor/harbor#14057); resource_url follows it.
      const tag = resource?.tag === undefined ? undefined : 'v1';
      expect(body, `the ${type} payload of ${repository}:v1`).toEqual(
        defaultPayload(type, ctx.target.admin.username, scanEventData(host, ws.name, repository, digest, tag, status)),
      );
      expect(delivery!.authorization_sha256, `the ${type} delivery carries the auth header`).toBe(sha256(header));
    }
    ctx.evidence.note('report type of scan_overview', VULNERABILITY_REPORT);
  });

  defineCheck(
    catalog.retries,
    async (ctx) => {
      const receiver = await startReceiver(ctx);
      const ws = await hookProject(ctx);
      const header = authHeader(ctx);
      receiver.fail('/hook/flaky', 1, 503);
      receiver.fail('/hook/down', -1, 500);
      const policyId = await createPolicy(
        ctx,
        ws,
        receiver,
        'retries',
        ['PUSH_ARTIFACT'],
        [
          { path: '/hook/flaky', auth_header: header },
          { path: '/hook/down', auth_header: header },
        ],
      );
      const hurry = canHurryRetries(ctx.target);
      const hurrying = hurry ? hurryRetries(ctx.target) : undefined;
      ctx.cleanup(() => hurrying?.stop());
      await push(ctx, ws.repository('app'), 'v1', uniqueImage(ctx, 'v1'));
      ctx.evidence.note(
        'retry timing',
        hurry
          ? "scheduled retries made due at once in jobservice's Redis retry set (suites/support/job-retries.ts)"
          : "waiting for jobservice's own back-off (no Redis container to make retries due in)",
      );
      let tasks: Awaited<ReturnType<typeof policyTasks>> = [];
      try {
        tasks = await pollUntil(() => policyTasks(ctx, ws, policyId), {
          timeoutMs: hurry ? 20_000 : 240_000,
          intervalMs: 200,
          describe: 'both delivery tasks to end (Success after one retry, Error after three attempts)',
          accept: (list) => list.length === 2 && list.every((t) => t.status === 'Success' || t.status === 'Error'),
          signal: ctx.signal,
        });
      } finally {
        await hurrying?.stop();
        await noteDeliveries(ctx, receiver, header);
      }
      ctx.evidence.note('delivery tasks', JSON.stringify(tasks, null, 2));
      const flaky = await receiver.deliveries('/hook/flaky');
      const down = await receiver.deliveries('/hook/down');
      expect(
        flaky.map((d) => d.answered),
        'attempts at the target that failed once (503, then the retry answered 200)',
      ).toEqual([503, 200]);
      expect(new Set(flaky.map((d) => d.body)).size, 'the retry carries the identical payload').toBe(1);
      expect(
        down.map((d) => d.answered),
        'attempts at the target that keeps failing (MaxFails 3)',
      ).toEqual([500, 500, 500]);
      expect(tasks.map((t) => t.status).sort(), 'task statuses').toEqual(['Error', 'Success']);
    },
    { timeoutMs: 300_000 },
  );

  defineCheck(catalog.targets, async (ctx) => {
    const ws = await ctx.project();
    const base = `/projects/${ws.name}/webhook/policies`;
    const policy = (name: string, address: string, extra: Record<string, unknown> = {}) => ({
      name,
      enabled: true,
      event_types: ['PUSH_ARTIFACT'],
      targets: [{ type: 'http', address, skip_cert_verify: false }],
      ...extra,
    });
    const created: number[] = [];
    ctx.cleanup(async () => {
      for (const id of created) await ctx.api.request('DELETE', `${base}/${id}`, { expect: [200, 404] });
    });
    const post = async (body: unknown) => {
      const response = await ctx.api.request<{ errors?: Array<{ code: string; message: string }> }>('POST', base, {
        body,
        expect: [201, 400, 409, 500],
      });
      const id = Number(/\/(\d+)$/.exec(String(response.headers['location'] ?? ''))?.[1]);
      if (response.status === 201 && Number.isInteger(id)) created.push(id);
      return { status: response.status, error: response.data?.errors?.[0], id };
    };
    const stored = async (id: number) =>
      (
        await ctx.api.request<{ enabled: boolean; targets: Array<{ address: string; payload_format?: string }> }>(
          'GET',
          `${base}/${id}`,
        )
      ).data;

    const problems: string[] = [];
    const rows: string[] = [];
    const refused = async (what: string, body: unknown, status: number, message: string) => {
      const got = await post(body);
      const ok = got.status === status && got.error?.message === message;
      rows.push(`| ${what} | ${status} ${message} | ${got.status} ${got.error?.message ?? ''} |`);
      if (!ok)
        problems.push(`${what}: expected ${status} "${message}", got ${got.status} "${got.error?.message ?? ''}"`);
    };
    for (const scheme of ['gopher', 'file', 'ftp'])
      await refused(
        `${scheme}:// target`,
        policy(`scheme-${scheme}`, `${scheme}://hooks.invalid/x`),
        400,
        `invalid scheme: ${scheme}`,
      );
    await refused(
      'no event type',
      policy('no-events', 'http://hooks.invalid/x', { event_types: [] }),
      400,
      'empty event type',
    );
    await refused(
      'unknown event type',
      policy('bad-event', 'http://hooks.invalid/x', { event_types: ['IMAGE_BUILT'] }),
      400,
      'unsupported event type IMAGE_BUILT',
    );
    await refused(
      'unknown payload format',
      {
        ...policy('bad-format', 'http://hooks.invalid/x'),
        targets: [{ type: 'http', address: 'http://hooks.invalid/x', payload_format: 'Xml' }],
      },
      400,
      'unsupported payload format type: Xml',
    );

    const secret = `hcwh_${'5a'.repeat(16)}`;
    ctx.secret(secret);
    const reduced = await post(policy('reduced', `http://user:${secret}@hooks.invalid:8080/path/?token=${secret}`));
    const reducedAddress = reduced.status === 201 ? (await stored(reduced.id)).targets[0]?.address : undefined;
    rows.push(
      `| user info and query in the address | 201, stored http://hooks.invalid:8080/path/ | ${reduced.status} ${reducedAddress ?? ''} |`,
    );
    if (reducedAddress !== 'http://hooks.invalid:8080/path/')
      problems.push(
        `address with user info and query: stored as ${ctx.secrets.scrub(String(reducedAddress))}, not reduced to scheme://host/path`,
      );
    await refused(
      'duplicate name',
      policy('reduced', 'http://hooks.invalid/y'),
      409,
      'notification policy named reduced already exists',
    );

    const defaults = await post({
      name: 'defaults',
      event_types: ['PUSH_ARTIFACT'],
      targets: [{ type: 'http', address: 'http://hooks.invalid/z' }],
    });
    const defaultsStored = defaults.status === 201 ? await stored(defaults.id) : undefined;
    rows.push(
      `| enabled and payload_format omitted | enabled false, Default | ${defaultsStored ? `${defaultsStored.enabled}, ${defaultsStored.targets[0]?.payload_format}` : defaults.status} |`,
    );
    if (defaultsStored?.enabled !== false || defaultsStored.targets[0]?.payload_format !== 'Default')
      problems.push('a policy without enabled / payload_format is not stored disabled with payload_format Default');

    const events = (await ctx.api.request('GET', `/projects/${ws.name}/webhook/events`)).data;
    expect(events, 'GET /webhook/events').toEqual({
      event_type: [
        'PUSH_ARTIFACT',
        'PULL_ARTIFACT',
        'DELETE_ARTIFACT',
        'QUOTA_EXCEED',
        'QUOTA_WARNING',
        'SCANNING_FAILED',
        'SCANNING_STOPPED',
        'SCANNING_COMPLETED',
        'REPLICATION',
        'TAG_RETENTION',
      ],
      notify_type: ['http', 'slack'],
      payload_formats: [{ notify_type: 'http', formats: ['Default', 'CloudEvents'] }],
    });

    const accepted: string[] = [];
    for (const [what, address, host] of [
      ['link-local (cloud metadata)', 'http://169.254.169.254/latest/meta-data', '169.254.169.254'],
      ['loopback', 'http://127.0.0.1:6379/x', '127.0.0.1'],
      ['IPv6 loopback', 'http://[::1]:8080/x', '::1'],
      ['private', 'http://10.0.0.1/hook', '10.0.0.1'],
      ['local name', 'http://metadata.google.internal/computeMetadata/v1', 'metadata.google.internal'],
    ] as const) {
      const got = await post(policy(`internal-${what.replace(/\W+/g, '-')}`, address));
      const want = `blocked non-public host: ${host}`;
      rows.push(`| ${what} target ${address} | 400 ${want} | ${got.status} ${got.error?.message ?? ''} |`);
      if (got.status === 201) accepted.push(`${what} (${address})`);
      else if (got.status !== 400 || got.error?.message !== want)
        problems.push(`${what} target: expected 400 "${want}", got ${got.status} "${got.error?.message ?? ''}"`);
    }
    ctx.evidence.note(
      'policy POSTs and answers',
      ['| policy | Harbor answers | got |', '|---|---|---|', ...rows].join('\n'),
    );
    if (accepted.length > 0)
      problems.push(
        `accepted webhook targets inside the network: ${accepted.join(', ')} — jobservice would POST there (GHSA-2phj-cp9f-qq6w, fixed in v2.15.3)`,
      );
    expectNone(problems, 'policy validation that differs from Harbor v2.15.3');
  });

  defineCheck(catalog.quotaExceeded, async (ctx) => {
    const receiver = await startReceiver(ctx);
    const header = authHeader(ctx);
    // a project of its own with a storage limit that the config of one small image fits and a 32 KiB layer does
    // not (project.go CreateProject: storage_limit, as a system admin may set it)
    const name = ctx.resourceName('quota');
    const limit = 8 * 1024;
    await ctx.step(`create project ${name} with storage_limit ${limit}`, () =>
      ctx.api.createProject({
        project_name: name,
        metadata: { public: 'false', webhook_allow_private_ip: 'true' },
        storage_limit: limit,
      }),
    );
    ctx.cleanup(() => ctx.step(`delete project ${name}`, () => deleteProjectWithRepositories(ctx.api, name)));
    await createPolicy(
      ctx,
      { name },
      receiver,
      'quota',
      ['QUOTA_EXCEED'],
      [{ path: '/hook/quota', auth_header: header }],
    );
    const repository = `${name}/app`;
    const big = buildImage({
      layers: [
        {
          'big.data': randomBytes(24 * 1024)
            .toString('base64')
            .slice(0, 32 * 1024),
        },
      ],
      config: { Labels: { 'org.harbor-conformance.image': `${ctx.runId} ${ctx.check.id}` } },
    });
    const refusal = await pushImage(ctx.registry, repository, 'big', big).then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof RegistryError) return error;
        throw error;
      },
    );
    ctx.evidence.note(
      'push beyond the limit',
      refusal ? `${refusal.status} ${refusal.code} ${refusal.registryMessage}` : 'accepted',
    );
    expect(refusal?.status, `the push of ${repository}:big beyond the ${limit} B storage limit`).toBe(403);
    let deliveries: RecordedDelivery[] = [];
    try {
      deliveries = await waitForDeliveries(ctx, receiver, '/hook/quota', 1, 30_000);
    } finally {
      await noteDeliveries(ctx, receiver, header);
    }
    const delivery = deliveries.find((d) => bodyOf(d)['type'] === 'QUOTA_EXCEED');
    expect(delivery, 'a QUOTA_EXCEED delivery').toBeDefined();
    // src/controller/event/handler/webhook/quota/quota.go constructQuotaPayload: no date_created; a resource only
    // for a refused manifest (the blob upload is refused first); Details is the quota error itself
    expect(bodyOf(delivery!), 'the QUOTA_EXCEED payload').toEqual(
      defaultPayload('QUOTA_EXCEED', ctx.target.admin.username, {
        repository: { name: 'app', namespace: name, repo_full_name: repository, repo_type: 'private' },
        custom_attributes: { Details: refusal!.registryMessage },
      }),
    );
    expect(delivery!.authorization_sha256, 'the QUOTA_EXCEED delivery carries the auth header').toBe(sha256(header));
  });

  defineCheck(catalog.retentionEvent, async (ctx) => {
    const { receiver, ws, header } = await subscribedProject(ctx, 'retention', ['TAG_RETENTION'], '/hook/retention');
    // rules that need no clock: keep what matches keep-*, so drop-1 and drop-2 go whatever their push times
    const repository = ws.repository('app');
    for (const tag of ['keep-1', 'drop-1', 'drop-2']) await push(ctx, repository, tag, uniqueImage(ctx, tag));
    const rule = {
      disabled: false,
      action: 'retain' as const,
      template: 'always' as const,
      params: {},
      tag_selectors: [
        { kind: 'doublestar' as const, decoration: 'matches', pattern: 'keep-*', extras: '{"untagged":true}' },
      ],
      scope_selectors: { repository: [{ kind: 'doublestar' as const, decoration: 'repoMatches', pattern: '**' }] },
    };
    const policyId = await createRetentionPolicy(ctx, ws, [rule]);
    const dry = await ctx.step('dry run', () => runRetention(ctx, policyId, true, 1));
    const real = await ctx.step('run', () => runRetention(ctx, policyId, false, 1));
    ctx.evidence.note(
      'retention runs',
      [dry, real]
        .map(
          (r) =>
            `${r.dryRun ? 'dry run' : 'run'} ${r.executionId}: ${r.status}; ${r.tasks.map((t) => `${t.repository} total ${t.total} retained ${t.retained} ${t.status}`).join(', ')}`,
        )
        .join('\n'),
    );
    expect(
      real.tasks.map((t) => [t.total, t.retained]),
      'the run deleted drop-1 and drop-2',
    ).toEqual([[3, 1]]);
    let deliveries: RecordedDelivery[] = [];
    try {
      deliveries = await waitForDeliveries(ctx, receiver, '/hook/retention', 1, 30_000);
    } finally {
      await noteDeliveries(ctx, receiver, header);
    }
    const announced = deliveries.filter((d) => bodyOf(d)['type'] === 'TAG_RETENTION');
    // src/controller/event/handler/webhook/artifact/retention.go: nothing for a dry run, one event per task that deleted
    expect(announced.length, 'TAG_RETENTION deliveries (one for the run, none for its dry run)').toBe(1);
    const stored = (await ctx.api.request<{ rules: Array<Record<string, unknown>> }>('GET', `/retentions/${policyId}`))
      .data;
    // The payload carries the policy's rules as Harbor stores them (rule.Selector: `extras` has no omitempty, so an
    // absent one is ""), where GET /retentions/{id} (a go-swagger model, every field omitempty) leaves it out.
    type Selector = { kind: string; decoration: string; pattern: string; extras?: string };
    const selector = (s: Selector) => ({
      kind: s.kind,
      decoration: s.decoration,
      pattern: s.pattern,
      extras: s.extras ?? '',
    });
    const rules = stored.rules.map((r) => {
      const params = (r['params'] ?? {}) as Record<string, unknown>;
      const scopes = (r['scope_selectors'] ?? {}) as Record<string, Selector[]>;
      return {
        template: r['template'],
        ...(Object.keys(params).length > 0 ? { params } : {}),
        tag_selectors: ((r['tag_selectors'] ?? []) as Selector[]).map(selector),
        scope_selectors: Object.fromEntries(Object.entries(scopes).map(([k, list]) => [k, list.map(selector)])),
      };
    });
    const body = bodyOf(announced[0]!);
    const data = (body['event_data'] as { retention?: { deleted_artifact?: unknown[] } } | undefined)?.retention;
    expect(
      { ...body, event_data: { retention: { ...data, deleted_artifact: undefined } } },
      'the TAG_RETENTION payload',
    ).toEqual(
      defaultPayload('TAG_RETENTION', ctx.target.admin.username, {
        retention: {
          total: 3,
          retained: 1,
          harbor_hostname: ctx.target.registryHost.replace(/:\d+$/, ''),
          project_name: ws.name,
          retention_policy_id: policyId,
          retention_rule: rules,
          result: 'SUCCESS',
          deleted_artifact: undefined,
        },
      }),
    );
    // the order follows the candidates; each deleted artifact once, under its only tag
    expect(
      [...(data?.deleted_artifact ?? [])].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      'deleted_artifact',
    ).toEqual(
      ['app:drop-1', 'app:drop-2'].map((name_tag) => ({
        type: 'image',
        status: 'SUCCESS',
        name_tag,
        references: null,
      })),
    );
    expect(announced[0]!.authorization_sha256, 'the TAG_RETENTION delivery carries the auth header').toBe(
      sha256(header),
    );
  });

  defineCheck(catalog.replicationEvent, async (ctx) => {
    const peer = ctx.target.peers.plainRegistry;
    if (!peer) ctx.skip('the target names no plain registry peer to replicate with');
    const path = '/hook/replication';
    const { receiver, ws, header } = await subscribedProject(ctx, 'replication', ['REPLICATION'], path);
    const peerRegistry = peerClient(ctx, peer!);
    const endpoint = await peerEndpoint(ctx, peer!, 'peer');
    const endpointName = ctx.resourceName('peer');

    // push-based: this project's app:v1 to <mirror>/app on the peer
    const mirror = ctx.resourceName('mirror');
    const pushed = await push(ctx, ws.repository('app'), 'v1', uniqueImage(ctx, 'push'));
    removeFromPeer(ctx, peerRegistry, `${mirror}/app`, () => [pushed]);
    const pushPolicy = await createReplicationPolicy(ctx, {
      name: ctx.resourceName('push'),
      description: 'push-based, announced to the source project',
      dest_registry: { id: endpoint },
      dest_namespace: mirror,
      dest_namespace_replace_count: 1,
      filters: [{ type: 'name', value: `${ws.name}/app` }],
      trigger: { type: 'manual' },
      override: true,
    });
    // pull-based: <upstream>/app:v1 on the peer into this project, a namespace the peer side does not share
    const upstream = `${ctx.resourceName('upstream')}/app`;
    const pulled = (
      await ctx.step(`push ${upstream}:v1 to the peer`, () =>
        pushImage(peerRegistry, upstream, 'v1', uniqueImage(ctx, 'pull')),
      )
    ).digest;
    removeFromPeer(ctx, peerRegistry, upstream, () => [pulled]);
    const pullPolicy = await createReplicationPolicy(ctx, {
      name: ctx.resourceName('pull'),
      description: 'pull-based, announced to the destination project',
      src_registry: { id: endpoint },
      dest_namespace: ws.name,
      dest_namespace_replace_count: 1,
      filters: [{ type: 'name', value: upstream }],
      trigger: { type: 'manual' },
      override: true,
    });
    const runs = [];
    for (const [direction, policy] of [
      ['push', pushPolicy],
      ['pull', pullPolicy],
    ] as const) {
      const execution = await replicate(ctx, policy);
      expect(execution.status, `the ${direction}-based execution`).toBe('Succeed');
      const tasks = await tasksOf(ctx, execution.id);
      expect(tasks.length, `tasks of the ${direction}-based execution`).toBe(1);
      runs.push({ direction, policy, execution, task: tasks[0]! });
    }
    let deliveries: RecordedDelivery[] = [];
    try {
      // Running and Success of each task (src/controller/event/handler/init.go: every status the job reports)
      deliveries = await waitForDeliveries(ctx, receiver, path, 4, 30_000);
    } finally {
      await noteDeliveries(ctx, receiver, header);
    }
    const host = ctx.target.registryHost;
    const local = (namespace: string) => ({
      registry_type: 'harbor',
      endpoint: expect.stringMatching(new RegExp(`^https?://${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)),
      namespace,
    });
    const remote = (namespace: string) => ({
      registry_name: endpointName,
      registry_type: 'docker-registry',
      endpoint: peer!.internalUrl,
      namespace,
    });
    const problems: string[] = [];
    for (const { direction, policy, execution, task } of runs) {
      const [srcNamespace, srcName] = [
        task.src_resource.split('/')[0]!,
        task.src_resource.slice(task.src_resource.indexOf('/') + 1),
      ];
      const [dstNamespace, dstName] = [
        task.dst_resource.split('/')[0]!,
        task.dst_resource.slice(task.dst_resource.indexOf('/') + 1),
      ];
      const mine = deliveries
        .map(bodyOf)
        .filter((b) => (b['event_data'] as { replication?: { task_id?: number } })?.replication?.task_id === task.id);
      const statuses = mine.map(
        (b) => (b['event_data'] as { replication: { job_status?: string } }).replication.job_status,
      );
      if (!statuses.includes('Running') || !statuses.includes('Success')) {
        problems.push(
          `${direction}-based task ${task.id}: job_status announced [${statuses.join(', ')}], expected Running and Success`,
        );
        continue;
      }
      const success = mine.find(
        (b) => (b['event_data'] as { replication: { job_status?: string } }).replication.job_status === 'Success',
      )!;
      // Harbor's quirk (replication.go constructReplicationPayload): the local side carries the destination
      // namespace and the remote side the source namespace in both directions
      const want = defaultPayload('REPLICATION', ctx.target.admin.username, {
        replication: {
          harbor_hostname: host.replace(/:\d+$/, ''),
          job_status: 'Success',
          description:
            direction === 'push'
              ? 'push-based, announced to the source project'
              : 'pull-based, announced to the destination project',
          artifact_type: task.resource_type,
          override_mode: true,
          trigger_type: 'MANUAL',
          policy_creator: ctx.target.admin.username,
          execution_timestamp: expect.any(Number),
          src_resource: direction === 'push' ? local(dstNamespace) : remote(srcNamespace),
          dest_resource: direction === 'push' ? remote(srcNamespace) : local(dstNamespace),
          successful_artifact: [
            {
              type: task.resource_type,
              status: 'Success',
              name_tag: direction === 'push' ? srcName : dstName,
              references: ['v1'],
            },
          ],
          execution_id: execution.id,
          task_id: task.id,
        },
      });
      try {
        expect(success).toEqual(want);
      } catch (error) {
        problems.push(
          `${direction}-based (policy ${policy}) Success payload differs: ${(error as Error).message.split('\n').slice(0, 12).join(' ')}`,
        );
      }
    }
    expectNone(problems, 'REPLICATION announcements');
    for (const delivery of deliveries)
      expect(delivery.authorization_sha256, 'each REPLICATION delivery carries the auth header').toBe(sha256(header));
  });
});
