/**
 * Finds a Python that can `import torch` and runs the bundled script (python/detbench_torch.py).
 * Search order: $DETBENCH_PYTHON, /usr/bin/python3 (Debian's python3-torch), then python3 on PATH.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DetbenchError } from '../core';

/** Python or PyTorch cannot be found or failed; the message says which and how to install it. */
export class TorchError extends DetbenchError {}

/** Debian packages that provide PyTorch for /usr/bin/python3 (what CI installs). */
export const TORCH_APT_PACKAGES = ['python3-torch', 'python3-torchvision'] as const;

export interface PythonInfo {
  python: string;
  torchVersion: string;
}

/** The bundled script, resolved both from src/ (tsx) and dist/ (compiled: the .py files stay in src/). */
export function scriptPath(): string {
  const candidates = [
    path.join(__dirname, 'python', 'detbench_torch.py'),
    path.join(__dirname, '..', '..', 'src', 'export', 'python', 'detbench_torch.py'),
  ];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new TorchError(`detbench's Python export script is missing (looked in ${candidates.join(', ')})`, {
      fix: 'reinstall detbench: the package ships src/export/python/',
    });
  }
  return found;
}

let cached: PythonInfo | undefined;

/**
 * The first interpreter that imports torch (candidates default to $DETBENCH_PYTHON, /usr/bin/python3,
 * python3); throws TorchError naming the apt packages when none does.
 */
export function findTorchPython(candidates?: string[]): PythonInfo {
  const useCache = candidates === undefined;
  if (useCache && cached) return cached;
  const list = candidates ?? [process.env.DETBENCH_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c);
  const tried: string[] = [];
  for (const python of list) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 60_000 });
    if (r.status === 0) {
      const info = { python, torchVersion: r.stdout.trim() };
      if (useCache) cached = info;
      return info;
    }
    const why = r.error ? (r.error as NodeJS.ErrnoException).code ?? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
    tried.push(`${python}: ${why}`);
  }
  throw new TorchError(`No Python with PyTorch found (tried ${tried.join('; ')})`, {
    subject: 'python',
    fix: `install Debian's PyTorch: sudo apt-get install -y ${TORCH_APT_PACKAGES.join(' ')}; or set DETBENCH_PYTHON to an interpreter that can import torch`,
  });
}

/** Runs the bundled script and parses the JSON object it prints on its last stdout line. */
export function runTorchScript(args: string[], timeoutMs = 600_000): Record<string, unknown> {
  const { python } = findTorchPython();
  const r = spawnSync(python, [scriptPath(), ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) {
    throw new TorchError(`Running ${python} ${path.basename(scriptPath())} ${args[0]} failed: ${r.error.message}`, { cause: r.error });
  }
  if (r.status !== 0) {
    // The script prints its own one-line reason last; PyTorch tracebacks end with the exception line.
    const lines = r.stderr.trim().split('\n').filter((l) => !/Warning|warnings\.warn|^\s+_C\./.test(l));
    throw new TorchError(`PyTorch ${args[0]} failed: ${lines.slice(-3).join(' | ')}`, {
      subject: args.join(' '),
      fix: 'check the --model entry point and checkpoint; rerun with DETBENCH_DEBUG=1 to see the full Python output',
      cause: r.stderr,
    });
  }
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as Record<string, unknown>;
  } catch (err) {
    throw new TorchError(`PyTorch ${args[0]} printed no JSON result (last line: ${last.slice(0, 200)})`, { cause: err });
  }
}
