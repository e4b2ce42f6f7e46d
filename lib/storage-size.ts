// How Harbor prints a storage amount in quota messages (goharbor/harbor src/pkg/quota/types/format.go@v2.15.2),
// below 1 KiB "<n> B", else one decimal and a binary unit, e.g. "1.5 MiB".
export function formatStorage(value: number): string {
  const unit = 1024;
  if (value < unit) return `${value} B`;
  let div = unit;
  let exp = 0;
  for (let n = Math.floor(value / unit); n >= unit; n = Math.floor(n / unit)) {
    div *= unit;
    exp++;
  }
  return `${(value / div).toFixed(1)} ${'KMGTPE'[exp]}iB`;
}
