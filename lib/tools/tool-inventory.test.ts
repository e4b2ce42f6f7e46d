import { describe, expect, it } from 'vitest';
import { describeTool, firstVersionLine, missingToolsLine, realToolUsers, toolStatus } from './tool-inventory.ts';

describe('tool inventory', () => {
  it('reads what each tool is for from the pinned table, every tool of it', () => {
    const users = realToolUsers();
    expect(users.get('cosign')).toMatch(/SIGN-009/);
    expect(users.get('oci-conformance')).toMatch(/OCID/);
    expect([...users.values()].every((u) => u.length > 0)).toBe(true);
  });

  it('names the missing tools and what loses its real-tool half, in one line, and nothing when none is missing', () => {
    const line = missingToolsLine([
      { name: 'cosign', source: 'missing', path: null, version: null },
      { name: 'crane', source: 'built', path: '/x/crane', version: 'github.com/google/go-containerregistry@v0.22.1' },
    ]);
    expect(line).toMatch(/^real tools missing .*cosign \(SIGN-009/);
    expect(line).not.toContain('crane');
    expect(line?.split('\n')).toHaveLength(1);
    expect(
      missingToolsLine([{ name: 'crane', source: 'path', path: '/usr/bin/crane', version: 'v0.20.0' }]),
    ).toBeNull();
  });

  it("takes the version line out of a tool's version output (cosign prints a banner first)", () => {
    expect(firstVersionLine('  ______\n /  ___|\nGitVersion:    v2.4.1\nGitCommit: abc')).toBe('GitVersion:    v2.4.1');
    expect(firstVersionLine('0.22.1\n')).toBe('0.22.1');
    expect(firstVersionLine('')).toBeNull();
  });

  it('reports a tool found on PATH with its own version, and one nowhere as missing', async () => {
    const dir = await import('node:fs/promises').then((fs) => fs.mkdtemp('/tmp/hc-path-tool-'));
    const { writeFile, rm } = await import('node:fs/promises');
    await writeFile(`${dir}/kind`, '#!/bin/sh\necho "kind v0.99.1 go1.26 linux/amd64"\n', { mode: 0o755 });
    try {
      const status = await toolStatus('kind', { PATH: dir, HC_GO_TOOLS_BIN: `${dir}/no-build` });
      expect(status).toMatchObject({ source: 'path', path: `${dir}/kind`, version: 'kind v0.99.1 go1.26 linux/amd64' });
      expect(describeTool(status)).toBe(`kind from PATH (${dir}/kind, kind v0.99.1 go1.26 linux/amd64)`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(await toolStatus('cosign-v2', { PATH: dir, HC_GO_TOOLS_BIN: '/nonexistent' })).toMatchObject({
      source: 'missing',
      path: null,
    });
  });
});
