// The required structure of an OSCAL assessment-results document (JSON), written from NIST's model
// reference: usnistgov/OSCAL v1.1.3 src/metaschema/oscal_assessment-results_metaschema.xml (assessment-results,
// result, import-ap), oscal_assessment-common_metaschema.xml (reviewed-controls, control-selection,
// select-control-by-id, observation, relevant-evidence, finding, finding-target, status) and
// oscal_metadata_metaschema.xml (metadata: title, last-modified, version, oscal-version required).
// Only what the harness emits is modelled beyond the required fields; unknown keys are rejected so a typo
// in a field name fails here instead of in the GRC tool that imports the file.
import { z } from 'zod';

/** OSCAL uuid: RFC 4122 version 4 or 5. */
const uuid = z
  .string()
  .regex(
    /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$/,
    'an OSCAL uuid (v4/v5)',
  );
/** date-time-with-timezone */
const dateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'a date-time with time zone');
/** token: a letter or underscore, then letters, digits, ".", "-", "_". */
const token = z.string().regex(/^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u, 'an OSCAL token');
const nonEmpty = z.string().min(1);

const property = z.strictObject({
  name: token,
  value: nonEmpty,
  ns: z.string().url().optional(),
  class: token.optional(),
  remarks: z.string().optional(),
});
const link = z.strictObject({
  href: nonEmpty,
  rel: token.optional(),
  'media-type': z.string().optional(),
  text: z.string().optional(),
});

const metadata = z.strictObject({
  title: nonEmpty,
  published: dateTime.optional(),
  'last-modified': dateTime,
  version: nonEmpty,
  'oscal-version': z.string().regex(/^1\.\d+\.\d+$/, 'an OSCAL 1.x version'),
  props: z.array(property).min(1).optional(),
  remarks: z.string().optional(),
});

const selectControlById = z.strictObject({ 'control-id': token, 'statement-ids': z.array(token).min(1).optional() });

const controlSelection = z
  .strictObject({
    description: z.string().optional(),
    props: z.array(property).min(1).optional(),
    'include-all': z.strictObject({}).optional(),
    'include-controls': z.array(selectControlById).min(1).optional(),
    'exclude-controls': z.array(selectControlById).min(1).optional(),
    remarks: z.string().optional(),
  })
  .refine(
    (s) => (s['include-all'] === undefined) !== (s['include-controls'] === undefined),
    'a control-selection has include-all or include-controls (exactly one)',
  );

const relevantEvidence = z.strictObject({
  href: nonEmpty.optional(),
  description: nonEmpty,
  props: z.array(property).min(1).optional(),
  remarks: z.string().optional(),
});

const observation = z.strictObject({
  uuid,
  title: z.string().optional(),
  description: nonEmpty,
  props: z.array(property).min(1).optional(),
  links: z.array(link).min(1).optional(),
  methods: z.array(z.enum(['EXAMINE', 'INTERVIEW', 'TEST', 'UNKNOWN'])).min(1),
  types: z.array(token).min(1).optional(),
  'relevant-evidence': z.array(relevantEvidence).min(1).optional(),
  collected: dateTime,
  expires: dateTime.optional(),
  remarks: z.string().optional(),
});

const finding = z.strictObject({
  uuid,
  title: nonEmpty,
  description: nonEmpty,
  props: z.array(property).min(1).optional(),
  target: z.strictObject({
    type: z.enum(['statement-id', 'objective-id']),
    'target-id': token,
    title: z.string().optional(),
    description: z.string().optional(),
    props: z.array(property).min(1).optional(),
    status: z.strictObject({
      state: z.enum(['satisfied', 'not-satisfied']),
      reason: token.optional(),
      remarks: z.string().optional(),
    }),
    remarks: z.string().optional(),
  }),
  'related-observations': z
    .array(z.strictObject({ 'observation-uuid': uuid }))
    .min(1)
    .optional(),
  remarks: z.string().optional(),
});

const result = z.strictObject({
  uuid,
  title: nonEmpty,
  description: nonEmpty,
  start: dateTime,
  end: dateTime.optional(),
  props: z.array(property).min(1).optional(),
  'reviewed-controls': z.strictObject({
    description: z.string().optional(),
    'control-selections': z.array(controlSelection).min(1),
    remarks: z.string().optional(),
  }),
  observations: z.array(observation).min(1).optional(),
  findings: z.array(finding).min(1).optional(),
  remarks: z.string().optional(),
});

export const oscalAssessmentResultsSchema = z.strictObject({
  'assessment-results': z.strictObject({
    uuid,
    metadata,
    'import-ap': z.strictObject({ href: nonEmpty, remarks: z.string().optional() }),
    results: z.array(result).min(1),
  }),
});

export type OscalAssessmentResults = z.infer<typeof oscalAssessmentResultsSchema>;

/** One line per problem (path: message), empty when the document conforms. */
export function oscalProblems(document: unknown): string[] {
  const parsed = oscalAssessmentResultsSchema.safeParse(document);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}
