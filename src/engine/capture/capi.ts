/**
 * The few onnxruntime C API calls that onnxruntime-node does not expose, called through koffi on the
 * very library onnxruntime-node loads (same version, same process). They are what a captured WebGPU
 * engine needs: `enableGraphCapture` for the WebGPU provider, and I/O binding to device tensors that
 * stay at one address across runs. The binding only ever calls the functions listed in SLOTS.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProviderError } from '../../core';

type Koffi = typeof import('koffi');
type Ptr = unknown;

/**
 * Positions of the functions used here in onnxruntime's `OrtApi` table (a struct of function
 * pointers that only ever grows at the end, so positions are stable across versions).
 */
export const SLOTS = {
  GetErrorMessage: 2,
  CreateEnv: 3,
  CreateSessionFromArray: 8,
  CreateSessionOptions: 10,
  SetSessionGraphOptimizationLevel: 23,
  CreateTensorAsOrtValue: 48,
  CreateTensorWithDataAsOrtValue: 49,
  GetTensorMutableData: 51,
  CreateMemoryInfo: 68,
  CreateCpuMemoryInfo: 69,
  ReleaseStatus: 93,
  ReleaseMemoryInfo: 94,
  ReleaseSession: 95,
  ReleaseValue: 96,
  ReleaseSessionOptions: 100,
  CreateAllocator: 131,
  ReleaseAllocator: 132,
  RunWithBinding: 133,
  CreateIoBinding: 134,
  ReleaseIoBinding: 135,
  BindInput: 136,
  BindOutput: 137,
  SessionOptionsAppendExecutionProvider: 216,
} as const;
export type SlotName = keyof typeof SLOTS;

/** onnxruntime enums used here (values from the C API). */
export const ORT = {
  loggingLevel: { verbose: 0, info: 1, warning: 2, error: 3, fatal: 4 },
  elementType: { float32: 1, uint8: 2, uint32: 12, float16: 10 } as Record<string, number>,
  allocator: { device: 0, arena: 1 },
  memType: { default: 0 },
  graphOptimization: { disabled: 0, basic: 1, extended: 2, all: 99 } as Record<string, number>,
} as const;

/** The onnxruntime shared library that onnxruntime-node ships for this platform. */
export function onnxruntimeLibraryPath(): string {
  const root = path.dirname(require.resolve('onnxruntime-node/package.json'));
  const bin = path.join(root, 'bin');
  const candidates = fs.existsSync(bin)
    ? fs.readdirSync(bin).map((napi) => path.join(bin, napi, process.platform, process.arch))
    : [];
  const names = process.platform === 'win32' ? ['onnxruntime.dll'] : process.platform === 'darwin' ? ['libonnxruntime.dylib'] : ['libonnxruntime.so.1', 'libonnxruntime.so'];
  for (const dir of candidates) for (const n of names) if (fs.existsSync(path.join(dir, n))) return path.join(dir, n);
  throw new ProviderError(`onnxruntime-node ships no onnxruntime library for ${process.platform}-${process.arch} (looked in ${bin})`, {
    subject: bin, fix: 'reinstall onnxruntime-node for this platform',
  });
}

const SIGNATURES: Record<SlotName, string> = {
  GetErrorMessage: 'const char *f(void *status)',
  CreateEnv: 'void *f(int level, const char *logid, _Out_ void **out)',
  CreateSessionFromArray: 'void *f(void *env, const void *data, size_t length, void *options, _Out_ void **out)',
  CreateSessionOptions: 'void *f(_Out_ void **out)',
  SetSessionGraphOptimizationLevel: 'void *f(void *options, int level)',
  CreateTensorAsOrtValue: 'void *f(void *allocator, const int64_t *shape, size_t rank, int type, _Out_ void **out)',
  CreateTensorWithDataAsOrtValue: 'void *f(void *info, void *data, size_t length, const int64_t *shape, size_t rank, int type, _Out_ void **out)',
  GetTensorMutableData: 'void *f(void *value, _Out_ uint64_t *out)',
  CreateMemoryInfo: 'void *f(const char *name, int allocator, int id, int memType, _Out_ void **out)',
  CreateCpuMemoryInfo: 'void *f(int allocator, int memType, _Out_ void **out)',
  ReleaseStatus: 'void f(void *p)',
  ReleaseMemoryInfo: 'void f(void *p)',
  ReleaseSession: 'void f(void *p)',
  ReleaseValue: 'void f(void *p)',
  ReleaseSessionOptions: 'void f(void *p)',
  CreateAllocator: 'void *f(void *session, void *info, _Out_ void **out)',
  ReleaseAllocator: 'void f(void *p)',
  RunWithBinding: 'void *f(void *session, void *runOptions, void *binding)',
  CreateIoBinding: 'void *f(void *session, _Out_ void **out)',
  ReleaseIoBinding: 'void f(void *p)',
  BindInput: 'void *f(void *binding, const char *name, void *value)',
  BindOutput: 'void *f(void *binding, const char *name, void *value)',
  SessionOptionsAppendExecutionProvider: 'void *f(void *options, const char *name, const char **keys, const char **values, size_t count)',
};

/** A thin typed view of the C API: each call throws a ProviderError carrying onnxruntime's message. */
export class OrtCApi {
  private readonly fns: Record<string, (...args: unknown[]) => unknown> = {};

  private constructor(readonly koffi: Koffi, api: Ptr, readonly version: string, readonly libraryPath: string) {
    const table = koffi.decode(api, 'void *', Math.max(...Object.values(SLOTS)) + 1) as Ptr[];
    for (const [name, slot] of Object.entries(SLOTS)) {
      // Anonymous prototypes: koffi registers named types globally, and a second load must not clash.
      const proto = koffi.proto(SIGNATURES[name as SlotName].replace(/\bf\(/, '('));
      this.fns[name] = koffi.decode(table[slot], proto) as (...args: unknown[]) => unknown;
    }
  }

  private static loaded: OrtCApi | undefined;

  /** Loads (once) the onnxruntime library next to onnxruntime-node and its C API table. */
  static load(): OrtCApi {
    if (OrtCApi.loaded) return OrtCApi.loaded;
    let koffi: Koffi;
    try {
      koffi = require('koffi') as Koffi;
    } catch (err) {
      throw new ProviderError('The captured WebGPU engine needs the koffi package (a prebuilt FFI), which is not installed', {
        subject: 'koffi', fix: 'npm install koffi', cause: err,
      });
    }
    const libraryPath = onnxruntimeLibraryPath();
    const lib = koffi.load(libraryPath);
    const ApiBase = koffi.struct({ GetApi: 'void *', GetVersionString: 'void *' });
    const base = koffi.decode(lib.func('void *OrtGetApiBase()')(), ApiBase) as { GetApi: Ptr; GetVersionString: Ptr };
    const version = koffi.call(base.GetVersionString, koffi.proto('const char *()')) as string;
    const GetApi = koffi.proto('void *(uint32_t)');
    const minor = Number(version.split('.')[1]);
    const api = koffi.call(base.GetApi, GetApi, minor);
    if (!api) throw new ProviderError(`onnxruntime ${version} at ${libraryPath} does not provide C API version ${minor}`, { subject: libraryPath });
    OrtCApi.loaded = new OrtCApi(koffi, api, version, libraryPath);
    return OrtCApi.loaded;
  }

  private envHandle: Ptr = null;

  /**
   * The process's onnxruntime environment (onnxruntime keeps one, reference-counted), created on
   * first use and kept for the life of the process.
   */
  env(): Ptr {
    if (!this.envHandle) {
      const level = ORT.loggingLevel[(process.env.DETBENCH_ORT_LOG as keyof typeof ORT.loggingLevel) ?? 'fatal'] ?? ORT.loggingLevel.fatal;
      this.envHandle = this.create('CreateEnv', level, 'detbench-capture');
    }
    return this.envHandle;
  }

  /** Calls a function that returns an OrtStatus*, throwing on failure. */
  check(name: SlotName, ...args: unknown[]): void {
    const status = this.fns[name](...args);
    if (status) {
      const message = this.fns.GetErrorMessage(status) as string;
      this.fns.ReleaseStatus(status);
      throw new ProviderError(`onnxruntime ${name} failed: ${message}`, { subject: name });
    }
  }

  /** Calls a function whose last parameter is an out-pointer and returns what it wrote. */
  create(name: SlotName, ...args: unknown[]): Ptr {
    const out: Ptr[] = [null];
    this.check(name, ...args, out);
    return out[0];
  }

  release(name: SlotName, p: Ptr): void {
    if (p) this.fns[name](p);
  }
}
