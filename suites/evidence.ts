// Evidence a check records: its HTTP exchanges (through lib/http-exchange's ExchangeRecorder, redacted
// and truncated there — hand `evidence.exchanges` to any lib client), plus digests, timings and notes.
// Serialised into the Allure result and reports/<run-id>/evidence/<ID>.json.
import { ExchangeRecorder, type HttpExchange } from '../lib/http-exchange.ts';
import { redactText, type SecretRegistry } from '../lib/redact.ts';

export interface EvidenceItem {
  kind: 'note' | 'digest' | 'timing';
  at: string;
  label: string;
  value: string;
}

export interface EvidenceDocument {
  exchanges: readonly HttpExchange[];
  items: EvidenceItem[];
}

export class EvidenceRecorder {
  /** Give this to HttpTransport / RegistryClient / the Harbor API client: their exchanges become evidence. */
  readonly exchanges: ExchangeRecorder;
  readonly items: EvidenceItem[] = [];
  readonly #secrets: SecretRegistry;

  constructor(secrets: SecretRegistry) {
    this.#secrets = secrets;
    this.exchanges = new ExchangeRecorder({ secrets });
  }

  note(label: string, value: string): void {
    this.#push('note', label, value);
  }

  digest(label: string, digest: string): void {
    this.#push('digest', label, digest);
  }

  timing(label: string, ms: number): void {
    this.#push('timing', label, `${Math.round(ms)} ms`);
  }

  /** Redacted JSON of everything recorded (registered secrets are scrubbed again over the whole text). */
  toJson(): string {
    const doc: EvidenceDocument = { exchanges: this.exchanges.exchanges, items: this.items };
    return this.#secrets.scrub(JSON.stringify(doc, null, 2));
  }

  #push(kind: EvidenceItem['kind'], label: string, value: string): void {
    const r = (text: string) => redactText(text, this.#secrets);
    this.items.push({ kind, at: new Date().toISOString(), label: r(label), value: r(value) });
  }
}
