// The progress line during long runs: elapsed time, pulls done, current MB/s (on stderr, rewritten
// in place on a terminal, one line every interval otherwise).
import type { EngineProgress } from './node-engine.ts';

export function formatProgress(label: string, p: EngineProgress): string {
  return `${label}: ${(p.elapsedMs / 1000).toFixed(0)} s · ${p.pulls} pulls · ${p.currentMBps.toFixed(1)} MB/s`;
}

export function progressPrinter(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): { update: (p: EngineProgress, runLabel?: string) => void; end: () => void } {
  let shown = false;
  return {
    update(p, runLabel) {
      const line = formatProgress(runLabel ?? label, p);
      if (stream.isTTY) stream.write(`\r\x1b[2K${line}`);
      else stream.write(`${line}\n`);
      shown = true;
    },
    end() {
      if (shown && stream.isTTY) stream.write('\r\x1b[2K');
    },
  };
}
