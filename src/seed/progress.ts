/**
 * A progress bar on stderr: redrawn in place on a terminal, one line per 10% otherwise (CI logs).
 */
export interface Progress {
  update(done: number, detail: string): void;
  finish(detail: string): void;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr, enabled = true): Progress {
  const started = performance.now();
  const tty = stream.isTTY === true;
  let lastDecile = -1;
  const render = (done: number, detail: string) => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const width = 24;
    const filled = Math.round(fraction * width);
    const elapsed = performance.now() - started;
    const eta = fraction > 0 && fraction < 1 ? ` eta ${formatDuration((elapsed / fraction) * (1 - fraction))}` : '';
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${detail} (${formatDuration(elapsed)}${eta})`;
  };
  return {
    update(done, detail) {
      if (!enabled) return;
      if (tty) {
        stream.write(`\r\x1b[2K${render(done, detail)}`);
        return;
      }
      const decile = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${render(done, detail)}\n`);
      }
    },
    finish(detail) {
      if (!enabled) return;
      stream.write(`${tty ? '\r\x1b[2K' : ''}${render(total, detail)}\n`);
    },
  };
}
