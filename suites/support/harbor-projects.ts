// Project create/delete for mutating checks. Cleanup deletes the repositories first: Harbor refuses to
// delete a project that still holds repositories.
// TODO(lead): switch to lib/harbor-api.ts once it lands.
import type { CheckHttp } from '../check-http.ts';

const byName = { 'x-is-resource-name': 'true' };

export async function createProject(http: CheckHttp, name: string, metadata: Record<string, string> = { public: 'false' }): Promise<void> {
  const response = await http.request('POST', '/api/v2.0/projects', { auth: 'admin', body: { project_name: name, metadata } });
  if (response.status !== 201) throw new Error(`creating project ${name}: expected 201, got ${response.status}: ${response.text().slice(0, 300)}`);
}

export async function deleteProjectWithRepositories(http: CheckHttp, name: string): Promise<void> {
  const project = await http.get(`/api/v2.0/projects/${name}`, { auth: 'admin', headers: byName });
  if (project.status === 404) return;
  const repos = await http.get(`/api/v2.0/projects/${name}/repositories?page_size=100`, { auth: 'admin' });
  if (repos.status === 200) {
    for (const repo of repos.json<Array<{ name: string }>>()) {
      const short = repo.name.slice(name.length + 1);
      // Harbor wants a slash in a repository name encoded twice in the path.
      const encoded = encodeURIComponent(encodeURIComponent(short));
      const del = await http.request('DELETE', `/api/v2.0/projects/${name}/repositories/${encoded}`, { auth: 'admin' });
      if (del.status !== 200 && del.status !== 404) throw new Error(`deleting repository ${repo.name}: got ${del.status}: ${del.text().slice(0, 200)}`);
    }
  }
  const del = await http.request('DELETE', `/api/v2.0/projects/${name}`, { auth: 'admin', headers: byName });
  if (del.status !== 200 && del.status !== 404) throw new Error(`deleting project ${name}: got ${del.status}: ${del.text().slice(0, 200)}`);
}
