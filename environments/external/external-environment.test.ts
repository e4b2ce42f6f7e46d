import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHarbor, type FakeHarbor } from '../../scripts/testing/fake-harbor.ts';
import { EnvironmentError } from '../environment.ts';
import { connectExternalEnvironment, signatureSupport } from './external-environment.ts';

const password = 'Ext3rnal-Admin-Pw';
let harbor: FakeHarbor;
let refusing: FakeHarbor;

beforeAll(async () => {
  harbor = await startFakeHarbor({ password, version: 'v2.14.1-abcdef12' });
  refusing = await startFakeHarbor({ password, rejectAllCredentials: true });
});
afterAll(async () => {
  await harbor.close();
  await refusing.close();
});

const options = (url: string, extra: Partial<Parameters<typeof connectExternalEnvironment>[0]> = {}) => ({
  url,
  username: 'admin',
  password,
  mutating: false,
  runId: 'hc-20261123-085300-k3f9',
  ...extra,
});

describe('external environment', () => {
  it('builds a read-only Target with the version the Harbor reports, and down() does nothing', async () => {
    const env = await connectExternalEnvironment(options(`${harbor.url}/`));
    expect(env.target).toMatchObject({
      kind: 'external',
      url: harbor.url,
      registryHost: new URL(harbor.url).host,
      harborVersion: 'v2.14.1-abcdef12',
      capabilities: { mutating: false, faultInjection: false, scanner: false, cosign: true, notation: true },
      peers: {},
    });
    await env.down();
    await env.down();
  });

  it('allows mutating checks only when asked', async () => {
    expect(
      (await connectExternalEnvironment(options(harbor.url, { mutating: true }))).target.capabilities.mutating,
    ).toBe(true);
  });

  it('says in one line that Harbor cannot be reached', async () => {
    const error = await connectExternalEnvironment(options('http://127.0.0.1:1')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toBe(
      'cannot reach Harbor at http://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1; check --url / HARBOR_URL',
    );
  });

  it('says in one line that the credentials were refused', async () => {
    await expect(connectExternalEnvironment(options(refusing.url))).rejects.toThrow(
      `Harbor at ${refusing.url} refused the credentials of user admin (HTTP 401); check HARBOR_USERNAME / HARBOR_PASSWORD`,
    );
    await expect(connectExternalEnvironment(options(harbor.url, { password: 'wrong-password' }))).rejects.toThrow(
      EnvironmentError,
    );
  });

  it('recognises a URL that is not Harbor', async () => {
    await expect(connectExternalEnvironment(options(`${harbor.url}/not-harbor`))).rejects.toThrow(
      /answered HTTP 404, not Pong \(is this a Harbor URL\?\)/,
    );
  });

  it('knows which Harbor versions show cosign and notation signatures', () => {
    expect(signatureSupport('v2.4.3-x')).toEqual({ cosign: false, notation: false });
    expect(signatureSupport('v2.5.0')).toEqual({ cosign: true, notation: false });
    expect(signatureSupport('v2.15.2-080b0220')).toEqual({ cosign: true, notation: true });
    expect(signatureSupport('dev')).toEqual({ cosign: false, notation: false });
  });
});
