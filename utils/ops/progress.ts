/** A one-line progress bar, redrawn in place on a terminal and printed once per change elsewhere. */
export function progressBar(
  done: number,
  total: number,
  unit: 'count' | 'percent' = 'count',
  width = 30,
): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  const figure = unit === 'percent' ? `${Math.round(ratio * 100)}%` : `${done}/${total}`;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${figure}`;
}
