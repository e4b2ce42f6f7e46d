// Sizes as people write them in a scenario ("1KiB", "10MiB", "1GiB", or a number of bytes).
const units: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

export const KiB = 1024;
export const MiB = 1024 ** 2;
export const GiB = 1024 ** 3;

/** Bytes of "10MiB" / "1 GiB" / 4096; undefined when the text is not a size. */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB)\s*$/.exec(value);
  if (!match) return undefined;
  const bytes = Number(match[1]) * (units[match[2] as string] ?? 0);
  return Number.isInteger(bytes) ? bytes : Math.round(bytes);
}

/** "10 MiB", "1 KiB", "1.5 GiB": the shortest exact-ish spelling for reports. */
export function formatByteSize(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', GiB],
    ['MiB', MiB],
    ['KiB', KiB],
  ] as const) {
    if (bytes >= size) return `${+(bytes / size).toFixed(2)} ${unit}`;
  }
  return `${bytes} B`;
}
