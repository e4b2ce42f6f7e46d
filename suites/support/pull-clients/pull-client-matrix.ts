// The pull-client matrix: every real client a pull check runs. To add one (crane, regctl, …), write
// `<name>-client.ts` beside these implementing PullClient and add it to the array: every check that pulls
// through the matrix runs it from then on.
import type { Credentials } from '../../../lib/target.ts';
import type { CheckContext } from '../../check.ts';
import { craneClient } from './crane-client.ts';
import { dockerClient } from './docker-client.ts';
import { privateAuthDir, type ClientPull, type PullClient } from './pull-client.ts';
import { regctlClient } from './regctl-client.ts';
import { skopeoClient } from './skopeo-client.ts';

// skopeo and docker (HEAD then GET), crane (GET only, index then every child), regctl (its own request
// order): a verdict never depends on one client's request order.
export const pullClients: readonly PullClient[] = [skopeoClient, dockerClient, craneClient, regctlClient];

/** The clients of the matrix that can run here. */
export async function availablePullClients(clients: readonly PullClient[] = pullClients): Promise<PullClient[]> {
  const available = await Promise.all(clients.map(async (client) => ((await client.available()) ? client : undefined)));
  return available.filter((client) => client !== undefined);
}

/**
 * Pulls every reference with every available client, as `credentials` (default the admin), each pull a step
 * with its output in the evidence. Skips the check when no client of the matrix is installed.
 */
export async function pullWithEveryClient(
  ctx: CheckContext,
  references: readonly string[],
  credentials: Credentials = ctx.target.admin,
): Promise<ClientPull[]> {
  const clients = await availablePullClients();
  if (clients.length === 0)
    ctx.skip(`none of the pull clients ${pullClients.map((c) => c.name).join(', ')} is installed`);
  const auth = await privateAuthDir(ctx.target.registryHost, credentials);
  ctx.cleanup(auth.remove);
  const pulls: ClientPull[] = [];
  for (const reference of references) {
    for (const client of clients) {
      const pulled = await ctx.step(`${client.name} pull ${reference}`, () => client.pull(auth, reference));
      ctx.evidence.note(`${client.name} ${reference} (exit ${pulled.exitCode})`, pulled.output);
      pulls.push(pulled);
    }
  }
  return pulls;
}

/** Fails unless every pull failed and its output shows Harbor's message (`shows` decides, `message` names it). */
export function expectEveryClientRefused(
  pulls: readonly ClientPull[],
  shows: (output: string) => boolean,
  message: string,
): void {
  const problems = pulls.flatMap((p) => {
    if (p.exitCode === 0) return [`${p.client} pulled ${p.reference}`];
    if (!shows(p.output))
      return [`${p.client} failed on ${p.reference} without Harbor's message (${message}): ${p.output.split('\n')[0]}`];
    return [];
  });
  if (problems.length > 0) throw new Error(problems.join('\n'));
}
