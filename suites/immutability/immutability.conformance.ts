// Tag immutability as Harbor v2.15 enforces it. Rules are matched on the repository name without the project
// and on one tag at a time (goharbor/harbor src/pkg/immutable/match/rule/match.go, src/controller/tag/controller.go
// populateImmutableStatus@v2.15.x); the push middleware refuses every manifest PUT onto an existing immutable tag
// whatever its digest (src/server/middleware/immutable/pushmf.go, error.go); the tag controller refuses moving
// (Ensure) and deleting (Delete) one, and every artifact and repository deletion goes through it; /v2 DELETE by
// tag is unsupported (src/server/registry/manifest.go). Every check works in its own run-id project with images
// of its own digests; rules are deleted after the check, before the project.
import { describe, expect } from 'vitest';
import { defineCheck } from '../check.ts';
import { catalog } from './catalog.ts';
import { type OutcomeRow, expectOutcomes, outcomeTable } from './expected-outcomes.ts';
import {
  type ImmutableRuleBody,
  type Outcome,
  attempt,
  expectImmutableStatus,
  immutabilityProject,
  ruleBody,
} from './immutability-workspace.ts';

const pushRefused = (repository: string, tag: string) => ({
  status: 412,
  code: 'PRECONDITION',
  message: `Failed to process request due to '${repository}:${tag}' configured as immutable.`,
});
const cannotBeUpdated = (tag: string) => ({
  status: 412,
  code: 'PRECONDITION',
  message: `the tag ${tag} configured as immutable, cannot be updated`,
});
const cannotBeDeleted = (tag: string) => ({
  status: 412,
  code: 'PRECONDITION',
  message: `the tag ${tag} configured as immutable, cannot be deleted`,
});

/** A listed rule with the swagger model's omitted zero values filled in. */
function listed(rule: Record<string, unknown>): Record<string, unknown> {
  return {
    id: rule['id'],
    disabled: rule['disabled'] ?? false,
    priority: rule['priority'] ?? 0,
    action: rule['action'],
    template: rule['template'],
    scope_selectors: rule['scope_selectors'],
    tag_selectors: rule['tag_selectors'],
  };
}

const asListed = (id: number, body: ImmutableRuleBody) => listed({ ...body, id } as unknown as Record<string, unknown>);

describe('immutability', () => {
  defineCheck(catalog.ruleApi, async (ctx) => {
    const ws = await immutabilityProject(ctx);
    const other = await ctx.project();
    const body = ruleBody(['app'], ['v*']);
    const { id, location } = await ws.createRule(body);
    expect(location, 'Location of the created rule').toMatch(
      new RegExp(`/projects/${ws.name}/immutabletagrules/${id}$`),
    );
    expect((await ws.rules()).map(listed), 'the rules listed after the POST').toEqual([asListed(id, body)]);

    const rewritten = { ...ruleBody(['app'], ['rel-*']), id };
    const foreignBody = ruleBody(['**'], ['**']);
    const foreign = await ws.createRule(foreignBody, other);
    const rows: OutcomeRow[] = [
      {
        what: 'POST of an identical rule',
        got: await attempt(() =>
          ctx.api.request('POST', `/projects/${ws.name}/immutabletagrules`, { body, expect: [201] }),
        ),
        want: { status: 409, code: 'CONFLICT', message: 'immutable rule already exists' },
      },
      {
        what: 'PUT whose body id differs from the path id',
        got: await ws.updateRule(id, { ...rewritten, id: id + 1000 }),
        want: {
          status: 400,
          code: 'BAD_REQUEST',
          message: "bad request: the immutable_rule_id doesn't match the id in the payload body of ImmutableRule",
        },
      },
      { what: 'PUT of a new tag pattern', got: await ws.updateRule(id, rewritten), want: 'accepted' },
      {
        what: `PUT of project ${other.name}'s rule ${foreign.id} through ${ws.name}`,
        got: await ws.updateRule(foreign.id, { ...ruleBody(['none'], ['none']), id: foreign.id, disabled: true }),
        want: {
          status: 404,
          code: 'NOT_FOUND',
          message: `resource not found: project id ${ws.project.id} does not match`,
        },
      },
      {
        what: `DELETE of project ${other.name}'s rule ${foreign.id} through ${ws.name}`,
        got: await ws.deleteRule(foreign.id),
        want: {
          status: 404,
          code: 'NOT_FOUND',
          message: `resource not found: project id ${ws.project.id} does not match`,
        },
      },
    ];
    // The other project's `**`/`**` rule must not protect this project's tags: a tag no own rule names is rewritten.
    await ws.push('app', 'latest', ws.image('latest-1'));
    rows.push({
      what: 'push over app:latest (only the other project has a rule for it)',
      got: await ws.tryPush('app', 'latest', ws.image('latest-2')),
      want: 'accepted',
    });
    ctx.evidence.note('rule API answers', outcomeTable(rows));
    expectOutcomes(rows, 'immutable tag rule API');

    expect(
      (await ws.rules()).map(listed),
      `${ws.name}'s rules after the PUT (the other project's not among them)`,
    ).toEqual([asListed(id, rewritten)]);
    expect((await ws.rules(other)).map(listed), `${other.name}'s rule after the attempts through ${ws.name}`).toEqual([
      asListed(foreign.id, foreignBody),
    ]);
    const deleted = await ws.deleteRule(id);
    expect(deleted.status, 'DELETE of the own rule').toBe(200);
    expect(await ws.rules(), 'rules after the DELETE').toEqual([]);
  });

  defineCheck(catalog.overwrite, async (ctx) => {
    const ws = await immutabilityProject(ctx);
    await ws.createRule(ruleBody(['app'], ['v*']));
    const original = ws.image('original');
    const digest = await ws.push('app', 'v1', original); // a new tag that a rule names is pushed
    expect(await ws.immutableStatus('app', 'v1'), 'with_immutable_status after the first push').toEqual({ v1: true });

    const other = ws.image('other');
    const otherDocker = ws.image('other', 'docker');
    const source = ws.image('source');
    await ws.push('src', 'v1', source); // `src` matches no rule: its v1 is an ordinary tag
    const rows: OutcomeRow[] = [
      {
        what: 'manifest PUT app:v1, same digest',
        got: await ws.tryPush('app', 'v1', original),
        want: pushRefused('app', 'v1'),
      },
      {
        what: 'manifest PUT app:v1, another digest (OCI)',
        got: await ws.tryPush('app', 'v1', other),
        want: pushRefused('app', 'v1'),
      },
      {
        what: 'manifest PUT app:v1, another digest (Docker schema 2)',
        got: await ws.tryPush('app', 'v1', otherDocker),
        want: pushRefused('app', 'v1'),
      },
      { what: 'manifest PUT by digest (no tag)', got: await ws.tryPush('app', undefined, other), want: 'accepted' },
    ];
    rows.push(
      {
        what: 'tag API: create v1 on the other artifact',
        got: await attempt(() => ctx.api.createTag(ws.name, 'app', other.manifest.digest, 'v1')),
        // tagMgr.Create: tag names are unique per repository, the tag API never moves a tag (409)
        want: { status: 409, code: 'CONFLICT', message: /^tag v1 already exists under the repository \d+$/ },
      },
      {
        what: `copy ${ws.full('src')}@digest (tagged v1) into app`,
        got: await ws.copy('app', `${ws.full('src')}@${source.manifest.digest}`),
        want: cannotBeUpdated('v1'),
      },
      {
        what: `copy ${ws.full('src')}:v1 into app`,
        got: await ws.copy('app', `${ws.full('src')}:v1`),
        want: cannotBeUpdated('v1'),
      },
      {
        what: 'manifest PUT app:v2, a new tag the rule names',
        got: await ws.tryPush('app', 'v2', other),
        want: 'accepted',
      },
    );
    ctx.evidence.note('writes onto the immutable tag app:v1', outcomeTable(rows));
    expectOutcomes(rows, 'writes onto an immutable tag');
    expect(await ws.digestOf('app', 'v1'), 'app:v1 still names the first digest').toBe(digest);
    const pulled = await ctx.step('pull app:v1', () => ctx.registry.getManifest(ws.full('app'), 'v1'));
    expect(pulled.digest, 'app:v1 pulled through /v2').toBe(digest);
    expect(await ws.immutableStatus('app', 'v2'), 'the newly pushed v2').toEqual({ v2: true });
  });

  defineCheck(catalog.deletion, async (ctx) => {
    const ws = await immutabilityProject(ctx);
    await ws.createRule(ruleBody(['app'], ['v*']));
    const image = ws.image('kept');
    const digest = await ws.push('app', 'v1', image);
    await ws.push('app', 'dev', image); // a mutable tag on the same artifact
    expect(await ws.immutableStatus('app', digest), 'with_immutable_status').toEqual({ v1: true, dev: false });

    const refused = cannotBeDeleted('v1');
    const rows: OutcomeRow[] = [
      {
        what: 'DELETE …/artifacts/v1/tags/v1',
        got: await attempt(() => ctx.api.deleteTag(ws.name, 'app', 'v1', 'v1')),
        want: refused,
      },
      {
        what: 'DELETE …/artifacts/<digest>/tags/v1',
        got: await attempt(() => ctx.api.deleteTag(ws.name, 'app', digest, 'v1')),
        want: refused,
      },
      {
        what: 'DELETE …/artifacts/v1',
        got: await attempt(() => ctx.api.deleteArtifact(ws.name, 'app', 'v1')),
        want: refused,
      },
      {
        what: 'DELETE …/artifacts/<digest>',
        got: await attempt(() => ctx.api.deleteArtifact(ws.name, 'app', digest)),
        want: refused,
      },
      {
        what: 'DELETE …/repositories/app',
        got: await attempt(() => ctx.api.deleteRepository(ws.name, 'app')),
        want: refused,
      },
      {
        what: 'DELETE /v2/<repo>/manifests/<digest>',
        got: await attempt(() => ctx.registry.deleteManifest(ws.full('app'), digest)),
        want: refused,
      },
      {
        what: 'DELETE /v2/<repo>/manifests/v1',
        got: await attempt(() => ctx.registry.deleteManifest(ws.full('app'), 'v1')),
        want: { status: 400, code: 'UNSUPPORTED' },
      },
    ];
    rows.push({
      what: 'DELETE …/artifacts/v1/tags/dev (mutable)',
      got: await attempt(() => ctx.api.deleteTag(ws.name, 'app', 'v1', 'dev')),
      want: 'accepted',
    });
    ctx.evidence.note('deletes of the immutable tag app:v1', outcomeTable(rows));
    expectOutcomes(rows, 'deletes of an immutable tag');
    const pulled = await ctx.step('pull app:v1', () => ctx.registry.getManifest(ws.full('app'), 'v1'));
    expect(pulled.digest, 'app:v1 still pulls').toBe(digest);
    expect(await ws.immutableStatus('app', digest), 'tags left on the artifact').toEqual({ v1: true });
  });

  defineCheck(catalog.nested, async (ctx) => {
    const ws = await immutabilityProject(ctx);
    await ws.createRule(ruleBody(['**'], ['rel-*']));
    await ws.createRule(ruleBody(['team/*'], ['pin']));
    const nested = ws.image('nested');
    const nestedDigest = await ws.push('team/svc/api', 'rel-1', nested);
    await ws.push('team/svc/api', 'pin', nested);
    await ws.push('app', 'rel-1', ws.image('flat'));
    const oneLevel = ws.image('one-level');
    await ws.push('team/svc', 'pin', oneLevel);
    const status = {
      'team/svc/api': await ws.immutableStatus('team/svc/api', nestedDigest),
      app: await ws.immutableStatus('app', 'rel-1'),
      'team/svc': await ws.immutableStatus('team/svc', 'pin'),
    };
    ctx.evidence.note('with_immutable_status', JSON.stringify(status, null, 2));
    expectImmutableStatus(
      status,
      { 'team/svc/api': { 'rel-1': true, pin: false }, app: { 'rel-1': true }, 'team/svc': { pin: true } },
      '`**` crosses "/", `team/*` names team/svc only',
    );
    const rows: OutcomeRow[] = [
      {
        what: 'manifest PUT team/svc/api:rel-1',
        got: await ws.tryPush('team/svc/api', 'rel-1', nested),
        want: pushRefused('team/svc/api', 'rel-1'),
      },
      {
        what: 'DELETE …/repositories/team%252Fsvc%252Fapi/artifacts/<digest>',
        got: await attempt(() => ctx.api.deleteArtifact(ws.name, 'team/svc/api', nestedDigest)),
        want: cannotBeDeleted('rel-1'),
      },
      {
        what: 'DELETE …/repositories/team%252Fsvc%252Fapi',
        got: await attempt(() => ctx.api.deleteRepository(ws.name, 'team/svc/api')),
        want: cannotBeDeleted('rel-1'),
      },
      {
        what: 'manifest PUT team/svc:pin',
        got: await ws.tryPush('team/svc', 'pin', oneLevel),
        want: pushRefused('team/svc', 'pin'),
      },
      {
        what: 'manifest PUT team/svc/api:pin (team/* does not reach it)',
        got: await ws.tryPush('team/svc/api', 'pin', nested),
        want: 'accepted',
      },
    ];
    ctx.evidence.note('writes and deletes in nested repositories', outcomeTable(rows));
    expectOutcomes(rows, 'immutability in nested repositories');
  });

  defineCheck(catalog.everySelector, async (ctx) => {
    const ws = await immutabilityProject(ctx);
    await ws.createRule(ruleBody(['web', 'api/**'], ['rel-*', 'v*']));
    const cells = [
      { repository: 'web', tag: 'rel-1', selectors: 'first repository, first tag selector' },
      { repository: 'web', tag: 'v1', selectors: 'first repository, second tag selector' },
      { repository: 'api/x', tag: 'rel-1', selectors: 'second repository, first tag selector' },
      { repository: 'api/x', tag: 'v1', selectors: 'second repository, second tag selector' },
    ];
    // One image per repository, re-pushed unchanged: Harbor refuses any push onto an immutable tag, and the
    // blobs being there already, each attempt costs one manifest PUT.
    const images = { web: ws.image('web'), 'api/x': ws.image('api/x'), other: ws.image('other') };
    const rows: OutcomeRow[] = [];
    const status: Record<string, boolean | undefined> = {};
    for (const cell of cells) await ws.push(cell.repository, cell.tag, images[cell.repository as keyof typeof images]);
    for (const cell of cells) {
      status[`${cell.repository}:${cell.tag}`] = (await ws.immutableStatus(cell.repository, cell.tag))[cell.tag];
      rows.push({
        what: `manifest PUT ${cell.repository}:${cell.tag} (${cell.selectors})`,
        got: await ws.tryPush(cell.repository, cell.tag, images[cell.repository as keyof typeof images]),
        want: pushRefused(cell.repository, cell.tag),
      });
    }
    await ws.push('other', 'v1', images.other);
    rows.push({
      what: 'manifest PUT other:v1 (no selector names `other`)',
      got: await ws.tryPush('other', 'v1', ws.image('other again')),
      want: 'accepted',
    });
    ctx.evidence.note('with_immutable_status', JSON.stringify(status, null, 2));
    ctx.evidence.note('re-pushes', outcomeTable(rows));
    const unprotected = Object.entries(status)
      .filter(([, immutable]) => immutable !== true)
      .map(([tag]) => tag);
    if (unprotected.length > 0) {
      throw new Error(
        `the rule does not protect ${unprotected.join(', ')}: only its first selectors count, as in Harbor <= v2.15.2 ` +
          `(GHSA-27f2-qg57-2gwg; goharbor/harbor src/pkg/immutable/match/rule/match.go@v2.15.2)\n${outcomeTable(rows)}`,
      );
    }
    expectOutcomes(rows, 'a rule with two repository and two tag selectors');
  });

  defineCheck(catalog.disabled, async (ctx) => {
    const ws = await immutabilityProject(ctx);
    const body = ruleBody(['app'], ['v*']);
    const { id } = await ws.createRule(body);
    const first = ws.image('first');
    await ws.push('app', 'v1', first);
    expect(await ws.immutableStatus('app', 'v1'), 'with the rule enabled').toEqual({ v1: true });

    const disable = { ...ruleBody(['app'], ['nothing-*']), id, disabled: true };
    const steps: Array<{ what: string; got: Outcome; want: OutcomeRow['want'] }> = [
      { what: 'PUT disabled: true (and another tag pattern)', got: await ws.updateRule(id, disable), want: 'accepted' },
    ];
    const afterDisable = (await ws.rules()).map(listed);
    const disabledStatus = await ws.immutableStatus('app', 'v1');
    const second = ws.image('second');
    steps.push({
      what: 'manifest PUT app:v1 while disabled',
      got: await ws.tryPush('app', 'v1', second),
      want: 'accepted',
    });
    steps.push({
      what: 'PUT disabled: false',
      got: await ws.updateRule(id, { ...body, id, disabled: false }),
      want: 'accepted',
    });
    const enabledStatus = await ws.immutableStatus('app', 'v1');
    steps.push({
      what: 'manifest PUT app:v1 re-enabled',
      got: await ws.tryPush('app', 'v1', first),
      want: pushRefused('app', 'v1'),
    });
    ctx.evidence.note('disable and enable', outcomeTable(steps));
    expectOutcomes(steps, 'disabling and re-enabling a rule');
    expect(afterDisable, 'a PUT that changes `disabled` changes only the flag').toEqual([
      asListed(id, { ...body, disabled: true }),
    ]);
    expect(disabledStatus, 'with_immutable_status while the rule is disabled').toEqual({ v1: false });
    expect(enabledStatus, 'with_immutable_status after re-enabling').toEqual({ v1: true });
    expect(await ws.digestOf('app', 'v1'), 'app:v1 names what was pushed while disabled').toBe(second.manifest.digest);
  });
});
