// The Kubernetes API answers the kind environment's readiness tests replay (api-answers/*.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Answers } from '../../../lib/kubernetes/testing/fake-kube-api.ts';

export const API_ANSWERS_DIR = join(import.meta.dirname, 'api-answers');

export function readAnswers(name: string): Answers {
  return JSON.parse(readFileSync(join(API_ANSWERS_DIR, `${name}.json`), 'utf8')) as Answers;
}
