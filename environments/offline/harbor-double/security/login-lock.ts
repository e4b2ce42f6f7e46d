// Harbor's login lock (goharbor/harbor src/core/auth/authenticator.go + lock.go@v2.15.x): a failed
// basic-auth login (ErrAuth: wrong password, unknown user, a robot$ name whose robot check failed) locks
// that principal for 1.5 s and the failing request itself sleeps 1.5 s; while locked, a login of that
// principal fails at once, even with the right password. Seen on the real v2.15.2 binaries:
// "Login failed, locking admin, and sleep for 1.5s". Per process, like Harbor's package-level lock.
export const FROZEN_MS = 1_500;

export interface LoginLockDeps {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const realDeps: LoginLockDeps = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class LoginLock {
  private readonly failures = new Map<string, number>();
  private readonly deps: LoginLockDeps;
  private readonly frozenMs: number;
  constructor(deps: LoginLockDeps = realDeps, frozenMs = FROZEN_MS) {
    this.deps = deps;
    this.frozenMs = frozenMs;
  }

  /** Harbor's IsLocked: a failure of this principal within the frozen time. */
  isLocked(principal: string): boolean {
    const at = this.failures.get(principal);
    return at !== undefined && this.deps.now() - at <= this.frozenMs;
  }

  /** Harbor's Lock + time.Sleep(frozenTime) in the failing request. */
  async failed(principal: string): Promise<void> {
    this.failures.set(principal, this.deps.now());
    // forget old failures so the map stays small (Harbor keeps them; only the time matters)
    for (const [name, at] of this.failures) if (this.deps.now() - at > this.frozenMs) this.failures.delete(name);
    await this.deps.sleep(this.frozenMs);
  }
}
