/**
 * The environment a benchmark ran in, stored next to every result: figures without it cannot be
 * compared.
 */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';

export interface BenchEnvironment {
  date: string;
  node: string;
  onnxruntime: string;
  platform: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  /** `nvidia-smi` name and driver, or 'none' when there is no NVIDIA GPU. */
  gpu: string;
  /** CPU intra-op threads used (0 = onnxruntime's choice: all cores). */
  threads: number;
  /** Execution providers measured. */
  providers: string[];
}

function gpuName(): string {
  try {
    return execFileSync('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] })
      .trim().split('\n')[0] || 'none';
  } catch {
    return 'none';
  }
}

export function benchEnvironment(threads: number, providers: string[]): BenchEnvironment {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ortVersion = (require('onnxruntime-node/package.json') as { version: string }).version;
  return {
    date: new Date().toISOString(),
    node: process.version,
    onnxruntime: ortVersion,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    gpu: gpuName(),
    threads,
    providers,
  };
}
