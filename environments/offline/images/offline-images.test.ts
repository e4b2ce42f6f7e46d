import { describe, expect, test } from 'vitest';
import { connectDockerEngine } from '../../docker-engine.ts';
import { contentHash } from './content-hash.ts';
import { ensureOfflineImages, IMAGE_LABEL, OFFLINE_IMAGE_NAMES } from './offline-images.ts';
import { trivyToolsPresent } from './trivy-scanner-inputs.ts';

describe('offline images', () => {
  test('are built once and then reused: a second call builds nothing', { timeout: 900_000 }, async () => {
    const lines: string[] = [];
    const first = await ensureOfflineImages({ log: (line) => lines.push(line) });
    const second = await ensureOfflineImages();

    expect(second.built).toEqual([]);
    expect(second.tags).toEqual(first.tags);
    // every build reports its time
    for (const name of first.built) {
      expect(
        lines.some((line) => new RegExp(`^image ${name}: built in \\d+\\.\\d s$`).test(line)),
        name,
      ).toBe(true);
    }

    const docker = await connectDockerEngine();
    // every image, trivy-scanner where trivy and trivy-db are built here
    expect(Object.keys(second.tags).sort()).toEqual(
      OFFLINE_IMAGE_NAMES.filter((n) => n !== 'trivy-scanner' || trivyToolsPresent()).sort(),
    );
    for (const name of OFFLINE_IMAGE_NAMES.filter((n) => second.tags[n])) {
      const tag = second.tags[name];
      expect(tag, name).toMatch(new RegExp(`^harbor-conformance/${name}:[0-9a-f]{16}$`));
      const image = await docker.getImage(tag!).inspect();
      if (name !== 'base') expect(image.Config.Labels?.[IMAGE_LABEL]).toBe(name);
    }
  });

  test('a tag names its inputs: another parent or another file gives another tag', () => {
    const inputs = [
      ['FROM', 'harbor-conformance/base:1111111111111111'],
      ['Dockerfile:-', 'FROM ${BASE}\n'],
    ] as const;
    expect(contentHash(inputs)).toBe(contentHash([...inputs].reverse()));
    expect(contentHash(inputs)).not.toBe(
      contentHash([['FROM', 'harbor-conformance/base:2222222222222222'], inputs[1]]),
    );
    expect(contentHash(inputs)).not.toBe(contentHash([inputs[0], ['Dockerfile:x', 'FROM ${BASE}\n']]));
  });
});
