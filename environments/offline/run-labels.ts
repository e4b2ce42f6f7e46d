// Labels that make every container, network and volume of a run findable and removable.
export const RUN_ID_LABEL = 'harbor-conformance.run-id';
export const COMPONENT_LABEL = 'harbor-conformance.component';

export function runLabels(runId: string, component: string): Record<string, string> {
  return { [RUN_ID_LABEL]: runId, [COMPONENT_LABEL]: component };
}

/** Run ids become docker names and label values: keep them to what docker accepts everywhere. */
export function isValidRunId(runId: string): boolean {
  return /^[a-z0-9][a-z0-9_.-]{0,62}$/.test(runId);
}
