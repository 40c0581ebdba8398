/**
 * A direct upload path for captured engines: Dawn's `wgpuQueueWriteBuffer`, called on onnxruntime's
 * own WebGPU device.
 *
 * Why: onnxruntime 1.30 copies every host tensor to the GPU through a new mapped staging buffer,
 * about 0.8 ms + 0.93 ms/MB on an H100 (bench/NOTES.md, attempts 15 and 20): 3.3 ms of a 7 ms run for
 * the packed 736x1280 input. `queue.writeBuffer` stages through Dawn's reused ring buffer instead.
 *
 * How: Dawn is linked into onnxruntime with hidden symbols, but its `wgpuGetProcAddress` keeps a table
 * of `{ proc, name }` entries (a function pointer, then the name as a length and a pointer), filled
 * when the library loads. We find a name's string in the library file, its entry in the loaded table,
 * and accept the entry only if the length matches and the pointer lies in the library's code. The
 * device comes from a buffer onnxruntime allocated (Dawn objects keep their device right after the
 * vtable and reference count). These are layouts of one build, so `auto` uses the path only on builds
 * it was verified on (VERIFIED_BUILDS, by ELF build id); elsewhere only when asked for. Every pointer is
 * followed only into readable memory and every object must have a vtable inside the library; the
 * engine then checks one run's output bytes against onnxruntime's own upload before it keeps the path.
 * Any failed check is a ProviderError, and `auto` falls back to onnxruntime's upload.
 */
import * as fs from 'node:fs';
import { ProviderError } from '../../core';

type Koffi = typeof import('koffi');

interface Section { name: string; addr: bigint; size: bigint; offset: number }

/** `length` bytes of `file` from `offset`. */
function readAt(file: string, offset: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, b, 0, length, offset);
  } finally {
    fs.closeSync(fd);
  }
  return b;
}

/** Section headers of an ELF64 little-endian shared library. */
function elfSections(file: string): Section[] {
  const head = readAt(file, 0, 64);
  if (head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) throw new Error('not a 64-bit little-endian ELF file');
  const shoff = Number(head.readBigUInt64LE(0x28));
  const shentsize = head.readUInt16LE(0x3a);
  const shnum = head.readUInt16LE(0x3c);
  const shstrndx = head.readUInt16LE(0x3e);
  const table = readAt(file, shoff, shentsize * shnum);
  const raw = Array.from({ length: shnum }, (_, i) => {
    const o = i * shentsize;
    return { nameOff: table.readUInt32LE(o), addr: table.readBigUInt64LE(o + 16), offset: Number(table.readBigUInt64LE(o + 24)), size: table.readBigUInt64LE(o + 32) };
  });
  const names = readAt(file, raw[shstrndx].offset, Number(raw[shstrndx].size));
  return raw.map((s) => ({ name: names.toString('latin1', s.nameOff, names.indexOf(0, s.nameOff)), addr: s.addr, size: s.size, offset: s.offset }));
}

/** One mapping of the process (/proc/self/maps). */
interface Mapping { lo: bigint; hi: bigint; readable: boolean; offset: bigint; inode: number; path: string }

function mappings(): Mapping[] {
  const out: Mapping[] = [];
  for (const line of fs.readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+) ([0-9a-f]+) \S+ (\d+)\s*(.*)$/.exec(line);
    if (m) out.push({ lo: BigInt(`0x${m[1]}`), hi: BigInt(`0x${m[2]}`), readable: m[3][0] === 'r', offset: BigInt(`0x${m[4]}`), inode: Number(m[5]), path: m[6] });
  }
  return out;
}

/** Whether [address, address + bytes) lies in readable memory of this process (adjacent mappings may share it). */
function readable(maps: Mapping[], address: bigint, bytes: bigint): boolean {
  let at = address;
  const end = address + bytes;
  while (at < end) {
    const m = maps.find((x) => x.readable && at >= x.lo && at < x.hi);
    if (!m) return false;
    at = m.hi;
  }
  return true;
}

/** Where the library's first byte is mapped, checking that the mapping is the file on disk. */
function loadBase(file: string, maps: Mapping[]): bigint {
  const real = fs.realpathSync(file);
  const inode = fs.statSync(real).ino;
  const first = maps.find((m) => m.path === real && m.offset === 0n);
  if (!first) throw new Error(`${real} is not mapped in this process`);
  if (first.inode !== inode) throw new Error(`${real} changed on disk after it was loaded`);
  return first.lo;
}

/** The GNU build id of an ELF file (hex), from its `.note.gnu.build-id` section. */
function buildId(file: string, sections: Section[]): string {
  const note = sections.find((s) => s.name === '.note.gnu.build-id');
  if (!note) return 'none';
  const b = readAt(file, note.offset, Number(note.size));
  const namesz = b.readUInt32LE(0);
  const descsz = b.readUInt32LE(4);
  const desc = 12 + Math.ceil(namesz / 4) * 4;
  return b.subarray(desc, desc + descsz).toString('hex');
}

/**
 * onnxruntime builds the direct path was verified on (H100 runs, bench/NOTES.md attempt 21): output bytes
 * identical to onnxruntime's upload on every image. `auto` uses the path on these only.
 */
export const VERIFIED_BUILDS: Readonly<Record<string, string>> = {
  '3595fddb122d2690545e133f236ae204163c1a8f': 'onnxruntime-node 1.30.0, linux-x64',
};

/** WGPUBufferUsage_CopyDst: queue.writeBuffer needs it. */
const COPY_DST = 0x8n;

type Fn = {
  deviceGetQueue: (device: bigint) => unknown;
  queueRelease: (queue: unknown) => void;
  queueWriteBuffer: (queue: unknown, buffer: bigint, offset: bigint, data: unknown, size: number) => void;
  bufferGetSize: (buffer: bigint) => bigint | number;
  bufferGetUsage: (buffer: bigint) => bigint | number;
};

/** A writer into one device buffer, and the release of the queue reference it holds. */
export interface DirectWriter {
  write(data: unknown): void;
  release(): void;
}

/** The Dawn functions a captured engine uploads with. */
export class DawnUpload {
  private static readonly found = new Map<string, DawnUpload>();

  private constructor(
    private readonly koffi: Koffi,
    private readonly inCode: (p: bigint) => boolean,
    private readonly inVtables: (p: bigint) => boolean,
    private readonly fn: Fn,
    /** The library's GNU build id, and whether VERIFIED_BUILDS lists it. */
    readonly build: { id: string; verified: boolean },
  ) {}

  /**
   * Finds the functions in the loaded onnxruntime library; a ProviderError says why not. With
   * `verifiedOnly`, a build that VERIFIED_BUILDS does not list is refused before any memory is read.
   */
  static find(koffi: Koffi, libraryPath: string, verifiedOnly = false): DawnUpload {
    // A loaded library does not move: look it up once per process (every captured engine asks).
    const known = DawnUpload.found.get(libraryPath);
    if (known && (!verifiedOnly || known.build.verified)) return known;
    if (process.platform !== 'linux' || process.arch !== 'x64') throw new ProviderError(`The direct upload path is implemented for linux-x64 only, not ${process.platform}-${process.arch}`);
    try {
      const sections = elfSections(libraryPath);
      const id = buildId(libraryPath, sections);
      const verified = id in VERIFIED_BUILDS;
      if (verifiedOnly && !verified) {
        throw new Error(`build ${id} is not one the direct upload was verified on (pass upload: 'queue' to try it)`);
      }
      const get = (name: string) => {
        const s = sections.find((x) => x.name === name);
        if (!s) throw new Error(`no ${name} section`);
        return s;
      };
      const [text, rodata, relro, data, bss] = ['.text', '.rodata', '.data.rel.ro', '.data', '.bss'].map(get);
      const maps = mappings();
      const base = loadBase(libraryPath, maps);
      const within = (s: Section) => (p: bigint) => p >= base + s.addr && p < base + s.addr + s.size;
      const strings = readAt(libraryPath, rodata.offset, Number(rodata.size));
      const inCode = within(text);
      // Names first (the file alone), then their entries in the loaded tables.
      const NAMES = ['wgpuDeviceGetQueue', 'wgpuQueueRelease', 'wgpuQueueWriteBuffer', 'wgpuBufferGetSize', 'wgpuBufferGetUsage'] as const;
      const strAt = Object.fromEntries(NAMES.map((name) => {
        const at = strings.indexOf(Buffer.from(`\0${name}\0`, 'latin1'));
        if (at < 0) throw new Error(`no ${name} in the library's strings`);
        return [name, base + rodata.addr + BigInt(at + 1)];
      })) as Record<(typeof NAMES)[number], bigint>;
      const tables = [bss, data].map((s) => {
        const bytes = BigInt(Number(s.size) & ~7);
        if (!readable(maps, base + s.addr, bytes)) throw new Error(`its ${s.name} is not readable`);
        return new BigUint64Array(koffi.view(base + s.addr, Number(bytes)));
      });
      const proc = (name: (typeof NAMES)[number]): bigint => {
        for (const words of tables) {
          for (let i = 2; i < words.length; i++) {
            if (words[i] === strAt[name] && words[i - 1] === BigInt(name.length) && inCode(words[i - 2])) return words[i - 2];
          }
        }
        throw new Error(`no loaded proc-table entry for ${name}`);
      };
      const f = (name: (typeof NAMES)[number], proto: string) => koffi.decode(proc(name), koffi.proto(proto)) as never;
      const fn: Fn = {
        deviceGetQueue: f('wgpuDeviceGetQueue', 'void *(uint64_t device)'),
        queueRelease: f('wgpuQueueRelease', 'void (void *queue)'),
        queueWriteBuffer: f('wgpuQueueWriteBuffer', 'void (void *queue, uint64_t buffer, uint64_t offset, void *data, size_t size)'),
        bufferGetSize: f('wgpuBufferGetSize', 'uint64_t (uint64_t buffer)'),
        bufferGetUsage: f('wgpuBufferGetUsage', 'uint64_t (uint64_t buffer)'),
      };
      const found = new DawnUpload(koffi, inCode, within(relro), fn, { id, verified });
      DawnUpload.found.set(libraryPath, found);
      return found;
    } catch (err) {
      throw new ProviderError(`Dawn's upload functions cannot be used from ${libraryPath}: ${(err as Error).message}`, { subject: libraryPath, cause: err });
    }
  }

  /** Whether `object` is readable memory whose first word (a vtable pointer) lies in the library's vtables. */
  private vtableOk(address: bigint | number, maps: Mapping[]): boolean {
    const object = BigInt(address);
    return object % 8n === 0n && readable(maps, object, 24n) && this.inVtables(this.word(object));
  }

  /** The 64-bit word at `address` (koffi gives a Number when it fits, a BigInt otherwise). */
  private word(address: bigint): bigint {
    return BigInt(this.koffi.decode(address, 'uint64_t') as bigint | number);
  }

  /**
   * A writer of `bytes` host bytes into `buffer` (a WGPUBuffer of onnxruntime's, from a device tensor's
   * data pointer) through the queue of the buffer's device. Release it before the buffer's session.
   */
  writer(bufferAddress: bigint | number, bytes: number): DirectWriter {
    const buffer = BigInt(bufferAddress);
    const fail = (what: string) => new ProviderError(`Cannot use the direct upload path: ${what}`, { subject: 'upload', fix: "use upload: 'onnxruntime'" });
    if (bytes % 4 !== 0) throw fail(`writes must be multiples of 4 bytes, not ${bytes}`);
    const maps = mappings();
    if (!this.vtableOk(buffer, maps)) throw fail('the device tensor is not a Dawn buffer');
    const size = BigInt(this.fn.bufferGetSize(buffer));
    if (size < BigInt(bytes)) throw fail(`the device buffer holds ${size} bytes, not ${bytes}`);
    if ((BigInt(this.fn.bufferGetUsage(buffer)) & COPY_DST) === 0n) throw fail('the device buffer cannot be written (no CopyDst usage)');
    const device = this.word(buffer + 16n);
    if (!this.vtableOk(device, maps)) throw fail('the buffer\'s device is not where Dawn keeps it');
    const queue = this.fn.deviceGetQueue(device);
    const queueAddress = queue ? BigInt(this.koffi.address(queue) as bigint | number) : 0n;
    if (!this.vtableOk(queueAddress, mappings())) throw fail('the device has no queue');
    let released = false;
    return {
      write: (data: unknown) => this.fn.queueWriteBuffer(queue, buffer, 0n, data, bytes),
      release: () => {
        if (!released) this.fn.queueRelease(queue);
        released = true;
      },
    };
  }

  /** @internal for tests: whether an address is in the library's code. */
  isCode(p: bigint): boolean {
    return this.inCode(p);
  }
}
