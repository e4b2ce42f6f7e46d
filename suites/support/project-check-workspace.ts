// What a suite's workspace class starts from: the check it serves and the run-id project it works in.
import type { CheckContext } from '../check.ts';
import type { ProjectWorkspace } from './check-fixtures.ts';

export class ProjectCheckWorkspace {
  readonly ctx: CheckContext;
  readonly project: ProjectWorkspace;

  constructor(ctx: CheckContext, project: ProjectWorkspace) {
    this.ctx = ctx;
    this.project = project;
  }

  get name(): string {
    return this.project.name;
  }
}
