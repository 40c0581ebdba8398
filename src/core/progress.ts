/**
 * A progress bar on a terminal (cli-progress), silence elsewhere: piped output, CI logs and notebooks
 * stay clean. Bars write to stderr so JSON on stdout is never interleaved.
 */
import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  tick(n?: number): void;
  stop(): void;
}

/** A bar over `total` items labelled `label`, or a no-op when stderr is not a TTY. */
export function progressBar(label: string, total: number, enabled = Boolean(process.stderr.isTTY) && !process.env.CI): Progress {
  if (!enabled || total <= 1) return { tick: () => {}, stop: () => {} };
  const bar = new SingleBar(
    { format: `${label} [{bar}] {value}/{total} {percentage}% | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: (n = 1) => bar.increment(n), stop: () => bar.stop() };
}
