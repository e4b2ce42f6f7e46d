// Where the real tools are: the ones the bootstrap built from their Go modules (.tools/go/bin, pinned in
// scripts/tools/go-tools.tsv), else the same command on the user's PATH. A tool that is neither is
// reported with one reason the check can skip with — never a silent downgrade to the harness's own code.
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type GoToolName =
  | 'crane'
  | 'regctl'
  | 'notation'
  | 'cosign'
  | 'cosign-v2'
  | 'registry-v3'
  | 'oci-conformance'
  | 'trivy'
  | 'trivy-db'
  | 'kind'
  | 'helm'
  | 'ctr-v2';

export interface ResolvedTool {
  name: GoToolName;
  path: string;
  /** `built` from the pinned module (its module@version), or found on the user's `path`. */
  source: 'built' | 'path';
  pinned?: string;
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const goToolsBin = join(repoRoot, '.tools', 'go', 'bin');

/** Commands a user may already have on PATH under the tool's own name (cosign on PATH is taken as v3). */
const pathNames: Partial<Record<GoToolName, string>> = {
  crane: 'crane',
  regctl: 'regctl',
  notation: 'notation',
  cosign: 'cosign',
  trivy: 'trivy',
  kind: 'kind',
  helm: 'helm',
};

export function resolveGoTool(name: GoToolName, env: NodeJS.ProcessEnv = process.env): ResolvedTool | null {
  // HC_GO_TOOLS_BIN points at another build folder (tests; a CI cache restored elsewhere).
  const built = join(env['HC_GO_TOOLS_BIN'] ?? goToolsBin, name);
  if (isExecutable(built)) {
    const pinned = readText(`${built}.version`);
    return { name, path: built, source: 'built', ...(pinned ? { pinned } : {}) };
  }
  const command = pathNames[name];
  if (!command) return null;
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    if (isExecutable(candidate)) return { name, path: candidate, source: 'path' };
  }
  return null;
}

/** One line for a report when a tool is missing. */
export function missingToolReason(name: GoToolName): string {
  return `${name} is not installed: neither built by the bootstrap (.tools/go/bin; needs Go, see scripts/tools/go-tools.tsv) nor on PATH`;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}
