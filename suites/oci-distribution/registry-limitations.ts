// Where the registry Harbor embeds does not meet the OCI distribution-spec 1.1 and Harbor ships no fix:
// Harbor v2.15 builds goharbor's fork of distribution 2.8.3 (goharbor/harbor Makefile
// REGISTRYVERSION=v2.8.3-patch-redis@v2.15.2) and relays blob uploads and downloads to it unchanged. Each
// entry names the program test and the error it fails with, so any other failure of the same test still
// fails the check. Each was seen through the offline stack (Debian distribution 2.8.2 on S3) and, the S3 one
// aside, against the plain 2.8.2 peer too; the distribution v3.1.2 peer passes the out-of-order and Range tests
// (it fails sha512 as well). Foreign (non-distributable) layers are no limitation: Harbor's registry config
// disables manifest validation.
import type { KnownLimitation } from './conformance-results.ts';

const EMBEDDED =
  'Harbor embeds distribution 2.8.3 (goharbor/harbor Makefile REGISTRYVERSION=v2.8.3-patch-redis@v2.15.2)';

export const distribution28Limitations: readonly KnownLimitation[] = [
  {
    test: /(^|\/)chunked out-of-order/,
    error: /expected one of \[416\], received 202/,
    fact: 'an out-of-order blob chunk is appended (202) instead of refused with 416: distribution 2.8 ignores Content-Range on PATCH',
    source: `distribution/distribution registry/handlers/blobupload.go@v2.8.3 PatchBlobData ("TODO(dmcgowan): support Content-Range header to seek and write range"); ${EMBEDDED}`,
  },
  {
    test: /(^|\/)range requests\/range (500-0|5000-10000)$/,
    error: /unexpected EOF/,
    fact: "an unsatisfiable Range gets 416 with the whole blob's Content-Length and a short body, so clients see a truncated response",
    source: `distribution/distribution registry/storage/blobserver.go@v2.8.3 ServeBlob (Content-Length set to the blob size before http.ServeContent answers 416); ${EMBEDDED}`,
  },
  {
    test: /^(sha512 blobs|sha512)\//,
    error: /./,
    fact: 'sha512 content is not supported: distribution 2.8 digests every upload with sha256 and rejects sha512 manifest references',
    source: `distribution/distribution registry/storage/blobwriter.go@v2.8.3 (digest.Canonical) and registry/handlers/manifests.go; OCI distribution-spec 1.1 made sha512 a SHOULD; ${EMBEDDED}`,
  },
  {
    test: /^sha256 blobs\/empty\//,
    error: /received 500|received 404|Content-Length/,
    fact: "a zero-byte blob cannot be pushed to S3 storage (500): distribution 2.8's s3-aws driver completes a multipart upload with no parts (MalformedXML)",
    source: `distribution/distribution#3763 (fixed after 2.8; UNCONFIRMED whether goharbor's v2.8.3-patch-redis carries it) and distribution/distribution#3866; ${EMBEDDED}`,
  },
];
