// Turns a component spec into a testcontainers GenericContainer: image, alias, env, files, a
// published port, and a wait that never sits out the images' 30 s HEALTHCHECK interval.
import { GenericContainer, Wait, type WaitStrategy } from 'testcontainers';
import type { ComponentSpec, WaitSpec } from './official-component-specs.ts';

export function componentContainer(spec: ComponentSpec): GenericContainer {
  const container = new GenericContainer(spec.image)
    .withNetworkAliases(...spec.aliases)
    .withExposedPorts(spec.hostPort === undefined ? spec.port : { container: spec.port, host: spec.hostPort })
    .withEnvironment(spec.env)
    .withStartupTimeout(spec.startupTimeoutMs)
    .withWaitStrategy(waitStrategy(spec.wait));
  if (spec.files.length > 0)
    container.withCopyContentToContainer(
      spec.files.map((f) => ({ content: f.content, target: f.target, mode: f.mode })),
    );
  if (spec.directories.length > 0) container.withCopyDirectoriesToContainer(spec.directories);
  if (spec.healthCheck) container.withHealthCheck(spec.healthCheck);
  if (spec.sharedMemoryBytes) container.withSharedMemorySize(spec.sharedMemoryBytes);
  return container;
}

export function waitStrategy(wait: WaitSpec): WaitStrategy {
  if (wait.kind === 'health-check') return Wait.forHealthCheck();
  let strategy = Wait.forHttp(wait.path, wait.port, { abortOnContainerExit: true }).forStatusCode(wait.status);
  const needle = wait.bodyIncludes;
  if (needle !== undefined) strategy = strategy.forResponsePredicate((body) => body.includes(needle));
  return strategy;
}
