// Garbage collection and project quotas (goharbor/harbor src/jobservice/job/impl/gc/garbage_collection.go,
// src/server/v2.0/handler/gc.go, src/controller/quota, src/server/middleware/quota@v2.15.2): what a collection
// really removes from the registry's storage, what it must never remove, and what the quota counts and refuses.
import { defineCatalog } from '../check-definition.ts';

const availability = 'NIST SP 800-53 CP-9'; // system backup: what is kept stays retrievable
const integrity = 'NIST SP 800-53 SI-7'; // software and information integrity
const capacity = 'NIST SP 800-53 AU-4'; // storage capacity planning (here: registry storage)
const resourceLimits = 'NIST SP 800-53 SC-6'; // resource availability: quotas
const registryHygiene = 'NIST SP 800-190 4.2.3'; // stale images in registries

export const catalog = defineCatalog('garbage-collection', {
  dryRun: {
    id: 'GC-001',
    title:
      "a dry run with delete_untagged changes nothing: it succeeds, reports the untagged artifact and the deleted artifact's blobs as eligible (freed_space > 0), and afterwards every artifact is still listed and pulls whole, and every blob is still in the bucket",
    controls: [availability, integrity],
    mutating: true,
    evidence: [
      "the dry run's history entry and log",
      'artifact listings before and after',
      'bucket listing of every blob',
    ],
    remediation:
      'Upgrade to Harbor >= v2.4.0: before goharbor/harbor#15804, a dry run with "delete untagged" deleted the untagged artifacts (goharbor/harbor#15332).',
    caughtBy: ['gc-dry-run-deletes'],
  },
  freesStorage: {
    id: 'GC-002',
    title:
      "a collection after an artifact delete removes that artifact's own blobs and manifest revision from the object store (checked in the bucket's own listing) and reports them purged, and keeps every blob a remaining tagged artifact references — a shared layer included — so that artifact still pulls whole",
    controls: [integrity, capacity, registryHygiene],
    mutating: true,
    evidence: [
      'bucket listing before and after the collection',
      "the collection's job_parameters and log",
      'the kept image pulled, every blob digest-checked',
    ],
    remediation:
      'Run a Harbor whose GC counts artifact_blob references of every artifact before sweeping (goharbor/harbor#15445, #12975, #19308 lost referenced layers); restore lost blobs by pushing the images again.',
    caughtBy: ['gc-deletes-referenced-blobs'],
  },
  deleteUntagged: {
    id: 'GC-003',
    title:
      "delete_untagged does what it says: without it an untagged artifact survives a collection; with it (dry run) the untagged artifact is reported and the tagged ones and an index's untagged children are not; on a disposable target a real run deletes it and the tagged image and the index still pull whole",
    controls: [registryHygiene, availability],
    mutating: true,
    evidence: ['collection logs with and without delete_untagged', 'artifact listings'],
    remediation:
      'Send "delete_untagged": true in the GC schedule\'s parameters (tests/apitests/python/test_garbage_collection.py) and check the log names the untagged artifacts; a Harbor that drops the parameter never reclaims them.',
    caughtBy: ['gc-delete-untagged-ignored'],
  },
  pushInFlight: {
    id: 'GC-004',
    title:
      'a collection while a push is in flight (layers uploaded, one upload session half-written, manifest not yet pushed) does not break it: the push completes afterwards and the image pulls whole',
    controls: [integrity, availability],
    mutating: true,
    evidence: [
      "the collection's time_window and log",
      'the manifest PUT after it',
      'the image pulled, every blob digest-checked',
    ],
    remediation:
      'Keep GC_TIME_WINDOW_HOURS at its default (2) or above outside CI: the window is what keeps online GC from sweeping the layers of pushes under way (goharbor/website#102, goharbor/harbor#23116).',
    caughtBy: ['gc-ignores-time-window'],
  },
  usage: {
    id: 'QUOTA-001',
    title:
      "a project's storage usage (/quotas and the project summary) is the size of its distinct blobs: it grows by exactly a new image's blobs and manifest, not at all for the same image under another tag or repository, drops at once when artifacts are deleted, and stays right after a collection",
    controls: [resourceLimits, capacity],
    mutating: true,
    evidence: ['quota readings after each push, delete and collection', 'the sizes of the blobs pushed'],
    remediation:
      'Run a Harbor that refreshes project usage on delete and after GC (goharbor/harbor#8699, #8815, #19295); a stale usage refuses pushes against free space.',
    caughtBy: ['quota-usage-not-refreshed'],
  },
  refusal: {
    id: 'QUOTA-002',
    title:
      'a push that would exceed the project\'s storage_limit is refused with 403 DENIED "adding <n> of storage resource, which when updated to current usage of <u> will exceed the configured upper limit of <l>." and stores nothing; PUT /quotas/{id} validates the limit and a raised limit lets the same push through',
    controls: [resourceLimits],
    mutating: true,
    evidence: ['the refused blob upload and its error', 'PUT /quotas exchanges', 'the push after raising the limit'],
    remediation:
      'Set storage quotas per project (storage_limit, PUT /quotas/{id}) and run a Harbor whose quota middleware checks blob uploads and manifest pushes (src/server/middleware/quota).',
    caughtBy: ['quota-not-enforced'],
  },
});
