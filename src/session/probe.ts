/**
 * Is a GPU provider usable here? Two answers: a cheap one from the device files (no GPU device, no
 * point asking Dawn/Vulkan, which print native warnings on the way to saying no), and a real one that
 * opens a one-node session on the provider.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorText } from '../core';
import { onnx, saveOnnx } from '../onnx/model';
import type { ConcreteProvider } from './options';

/** Device files through which Linux exposes a GPU: NVIDIA, DRM render nodes (AMD, Intel), WSL's D3D bridge. */
const GPU_DEVICE_FILES = [/^nvidia\d+$/, /^dxg$/];
const GPU_RENDER_NODES = /^renderD\d+$/;

/**
 * The GPU device files present under `dev` (Linux), e.g. `['/dev/nvidia0']`. On other platforms,
 * where devices are not files, `undefined`: unknown, ask the provider.
 */
export function gpuDeviceFiles(dev = '/dev', platform: NodeJS.Platform = process.platform): string[] | undefined {
  if (platform !== 'linux') return undefined;
  let top: string[];
  try {
    top = fs.readdirSync(dev);
  } catch {
    return undefined; // an unreadable /dev (a sandbox) says nothing about the GPU
  }
  let dri: string[] = [];
  try {
    dri = fs.readdirSync(path.join(dev, 'dri'));
  } catch {
    // no DRM devices at all
  }
  return [
    ...top.filter((f) => GPU_DEVICE_FILES.some((re) => re.test(f))).map((f) => path.join(dev, f)),
    ...dri.filter((f) => GPU_RENDER_NODES.test(f)).map((f) => path.join(dev, 'dri', f)),
  ];
}

/**
 * Why `provider` cannot run for lack of a GPU device, or undefined when it may (CPU always may).
 * A software Vulkan driver (lavapipe) needs no device file and is missed here on purpose: Dawn
 * rejects it anyway.
 */
export function missingGpuReason(provider: ConcreteProvider, dev?: string): string | undefined {
  if (provider === 'cpu') return undefined;
  const files = gpuDeviceFiles(dev);
  return files && files.length === 0 ? 'no GPU device on this machine (no /dev/nvidia*, /dev/dri/renderD* or /dev/dxg)' : undefined;
}

export interface ProviderProbe {
  provider: ConcreteProvider;
  available: boolean;
  /** Why not, in a few words a user can act on (empty when available). */
  reason: string;
}

/** A one-node model (Sigmoid over [1, 4]) for probing providers without loading a real one. */
function probeModel(): Uint8Array {
  const info = (name: string): onnx.IValueInfoProto => ({
    name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimValue: 1 }, { dimValue: 4 }] } } },
  });
  return saveOnnx({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'detbench-probe',
    graph: { name: 'probe', node: [{ opType: 'Sigmoid', input: ['x'], output: ['y'], name: 'sigmoid' }], input: [info('x')], output: [info('y')] },
  });
}

/**
 * Opens (and closes) a one-node session on `provider` to learn whether it runs here. A machine
 * without GPU device files is answered from that alone. Takes well under a second either way,
 * plus the provider's device set-up where there is a GPU.
 */
export async function probeProvider(provider: ConcreteProvider, deviceId = 0): Promise<ProviderProbe> {
  const missing = missingGpuReason(provider);
  if (missing) return { provider, available: false, reason: missing };
  // Imported here: session.ts imports this module for `auto`.
  const { createSession } = await import('./session');
  try {
    const s = await createSession({ model: probeModel(), provider, deviceId });
    await s.dispose();
    return { provider, available: true, reason: '' };
  } catch (err) {
    return { provider, available: false, reason: errorText(err).split('\n')[0].replace(/^Cannot create a \w+ session: /, '') };
  }
}
