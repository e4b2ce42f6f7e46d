// Which real tools this run has, where each came from and its version, and which checks lose their
// real-tool half without it. The run prints one line for the missing ones and summary.json lists them all,
// so a run without a tool is never mistaken for one that used it.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type GoToolName, resolveGoTool } from './go-tools.ts';

const run = promisify(execFile);

const toolTable = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'tools', 'go-tools.tsv');

/** What loses its real-tool half without each tool: the last column of scripts/tools/go-tools.tsv. */
export function realToolUsers(table: string = readFileSync(toolTable, 'utf8')): Map<GoToolName, string> {
  const users = new Map<GoToolName, string>();
  for (const line of table.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const columns = line.split('\t');
    users.set(columns[0] as GoToolName, columns[5] ?? '');
  }
  return users;
}

export interface ToolStatus {
  name: GoToolName;
  source: 'built' | 'path' | 'missing';
  path: string | null;
  /** The pinned module@version for built tools; the first line of `<tool> version` for the user's own. */
  version: string | null;
}

/** Version flags per tool, for a tool found on PATH (a built one carries its pinned module@version). */
const versionArgs: Partial<Record<GoToolName, string[]>> = {
  crane: ['version'],
  regctl: ['version', '--format', '{{.VCSTag}}'],
  notation: ['version'],
  cosign: ['version'],
  trivy: ['--version'],
  kind: ['version'],
  helm: ['version', '--short'],
};

export async function toolStatus(name: GoToolName, env: NodeJS.ProcessEnv = process.env): Promise<ToolStatus> {
  const resolved = resolveGoTool(name, env);
  if (!resolved) return { name, source: 'missing', path: null, version: null };
  if (resolved.source === 'built')
    return { name, source: 'built', path: resolved.path, version: resolved.pinned ?? null };
  const args = versionArgs[name] ?? ['version'];
  const version = await run(resolved.path, args, { timeout: 15_000 }).then(
    ({ stdout, stderr }) => firstVersionLine(`${stdout}\n${stderr}`),
    () => null,
  );
  return { name, source: 'path', path: resolved.path, version };
}

export function toolInventory(names: readonly GoToolName[] = [...realToolUsers().keys()]): Promise<ToolStatus[]> {
  return Promise.all(names.map((name) => toolStatus(name)));
}

/** One line naming the missing tools and the checks that lose their real-tool half, or null. */
export function missingToolsLine(statuses: readonly ToolStatus[]): string | null {
  const missing = statuses.filter((s) => s.source === 'missing');
  if (missing.length === 0) return null;
  const users = realToolUsers();
  return `real tools missing (not built in .tools/go/bin, not on PATH), these lose their real-tool half: ${missing.map((s) => `${s.name} (${users.get(s.name) ?? 'unknown'})`).join('; ')}`;
}

/** One line for a tool the user brought: `cosign from PATH (/usr/local/bin/cosign, v2.4.1)`. */
export function describeTool(status: ToolStatus): string {
  if (status.source === 'missing') return `${status.name} missing`;
  return `${status.name} ${status.source === 'built' ? 'built' : 'from PATH'} (${status.path}${status.version ? `, ${status.version}` : ''})`;
}

/** The line of `<tool> version` output that names a version (cosign prints ASCII art first). */
export function firstVersionLine(output: string): string | null {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const versioned = lines.find((l) => /\bv?\d+\.\d+\.\d+/.test(l));
  return (versioned ?? lines[0] ?? '').slice(0, 120) || null;
}
