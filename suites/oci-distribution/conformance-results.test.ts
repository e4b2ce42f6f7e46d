import { describe, expect, it } from 'vitest';
import { categoryOf, judgeCategory, parseJunit } from './conformance-results.ts';
import { distribution28Limitations } from './registry-limitations.ts';

// The shape the conformance program writes (junit.go): Go's encoding/xml with numeric character references.
const junit = `<testsuites time="1.0" tests="5" failures="3">
  <testsuite name="OCI Conformance Test" tests="5" failures="3" errors="0" time="1.0">
    <testcase name="OCI Conformance Test/ping" classname="" time="0.03" status="passed">
      <system-err>~~~ REQUEST ~~~&#xA;Method: GET&#xA;URL: http://h/v2/</system-err>
    </testcase>
    <testcase name="OCI Conformance Test/artifacts-with-subject/referrers" classname="" time="0.1" status="failure">
      <system-out>referrers filter for artifactType application/vnd.example included descriptor &#34;x&#34;</system-out>
      <system-err>log</system-err>
    </testcase>
    <testcase name="OCI Conformance Test/sha256 blobs/chunked out-of-order/blob-patch-chunked" classname="" time="0.1" status="failure">
      <system-out>blob out of order chunk: unexpected status code, expected one of [416], received 202</system-out>
    </testcase>
    <testcase name="OCI Conformance Test/sha256 blobs/post only/blob-post-only" classname="" time="0.1" status="failure">
      <system-out>blob post failed: unexpected status code, expected one of [201], received 500</system-out>
    </testcase>
    <testcase name="OCI Conformance Test/image/delete/manifest-delete" classname="" time="0.1" status="skipped"></testcase>
  </testsuite>
</testsuites>`;

describe("the OCI conformance program's results", () => {
  it('reads every test with its status, errors and log, character references decoded', () => {
    const tests = parseJunit(junit);
    expect(tests.map((t) => [t.name, t.status])).toEqual([
      ['ping', 'passed'],
      ['artifacts-with-subject/referrers', 'failed'],
      ['sha256 blobs/chunked out-of-order/blob-patch-chunked', 'failed'],
      ['sha256 blobs/post only/blob-post-only', 'failed'],
      ['image/delete/manifest-delete', 'skipped'],
    ]);
    expect(tests[0]?.log).toBe('~~~ REQUEST ~~~\nMethod: GET\nURL: http://h/v2/');
    expect(tests[1]?.errors).toContain('included descriptor "x"');
  });

  it("sorts tests into the spec's workflow categories by their steps", () => {
    expect(categoryOf('ping')).toBe('pull');
    expect(categoryOf('image/pull/manifest-by-digest')).toBe('pull');
    expect(categoryOf('sha256 blobs/range requests/range 0-10')).toBe('pull');
    expect(categoryOf('missing-manifest/by-tag')).toBe('pull');
    expect(categoryOf('image/push/manifest-by-tag')).toBe('push');
    expect(categoryOf('sha256 blobs/mount/blob-mount')).toBe('push');
    expect(categoryOf('sha256 blobs/post only/blob-head')).toBe('pull');
    expect(categoryOf('invalid-digest-format/manifest-put')).toBe('push');
    expect(categoryOf('image/tag-list')).toBe('discovery');
    expect(categoryOf('empty/referrers')).toBe('discovery');
    expect(categoryOf('image/delete/manifest-delete')).toBe('management');
    expect(categoryOf('sha256 blobs/post only/blob-delete')).toBe('management');
  });

  it('a known limitation of distribution 2.8 explains only its own test and error; anything else stays a failure', () => {
    const tests = parseJunit(junit);
    const push = judgeCategory(tests, 'push', distribution28Limitations);
    expect(push.limited.map((l) => l.test.name)).toEqual(['sha256 blobs/chunked out-of-order/blob-patch-chunked']);
    expect(push.unexplained.map((t) => t.name)).toEqual(['sha256 blobs/post only/blob-post-only']);
    const discovery = judgeCategory(tests, 'discovery', distribution28Limitations);
    expect(discovery.unexplained.map((t) => t.name)).toEqual(['artifacts-with-subject/referrers']);
    expect(judgeCategory(tests, 'management', distribution28Limitations).failed).toEqual([]);
  });
});
