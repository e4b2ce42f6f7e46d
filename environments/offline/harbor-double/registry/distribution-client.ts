// Core's client of the backend distribution registry (not lib/oci's RegistryClient, the harness's OCI client):
// holds (REGISTRY_CREDENTIAL_*), like Harbor's reverse proxy rewriting Authorization.
import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';

export interface DistributionResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

export class DistributionClient {
  readonly baseUrl: string;
  private readonly authorization: string;
  private readonly agent: Agent;

  constructor(baseUrl: string, credential: { username: string; password: string }) {
    this.baseUrl = baseUrl;
    this.authorization = 'Basic ' + Buffer.from(`${credential.username}:${credential.password}`).toString('base64');
    // Long body timeouts: blobs of a GiB stream through here.
    this.agent = new Agent({
      connections: 64,
      headersTimeout: 300_000,
      bodyTimeout: 900_000,
      keepAliveTimeout: 30_000,
    });
  }

  async send(
    method: Dispatcher.HttpMethod,
    pathAndQuery: string,
    headers: Record<string, string> = {},
    body?: Readable | Buffer | string,
  ): Promise<DistributionResponse> {
    const response = await request(this.baseUrl + pathAndQuery, {
      method,
      headers: { ...headers, authorization: this.authorization },
      body: body ?? null,
      dispatcher: this.agent,
    });
    return { statusCode: response.statusCode, headers: response.headers, body: response.body };
  }

  /** GET <registry>/ as Harbor's health checker does; undefined when healthy, else the error text. */
  async healthError(): Promise<string | undefined> {
    try {
      const response = await request(this.baseUrl + '/', {
        method: 'GET',
        dispatcher: this.agent,
        headersTimeout: 5_000,
        bodyTimeout: 5_000,
      });
      await response.body.dump();
      if (response.statusCode === 200) return undefined;
      return `received unexpected status code: ${response.statusCode}`;
    } catch (error) {
      return `failed to check health: ${(error as Error).message}`;
    }
  }

  async deleteManifest(repository: string, digest: string): Promise<number> {
    const response = await this.send('DELETE', `/v2/${repository}/manifests/${digest}`);
    await response.body.dump();
    return response.statusCode;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
