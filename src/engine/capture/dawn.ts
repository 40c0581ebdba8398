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
 * vtable and reference count); every object is checked to have a vtable inside the library before use.
 * Any failed check is a ProviderError, and the engine falls back to onnxruntime's upload.
 */
import * as fs from 'node:fs';
import { ProviderError } from '../../core';

type Koffi = typeof import('koffi');

interface Section { name: string; addr: bigint; size: bigint; offset: number }

/** Section headers of an ELF64 little-endian shared library. */
function elfSections(file: string): Section[] {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(64);
    fs.readSync(fd, head, 0, 64, 0);
    if (head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) throw new Error('not a 64-bit little-endian ELF file');
    const shoff = Number(head.readBigUInt64LE(0x28));
    const shentsize = head.readUInt16LE(0x3a);
    const shnum = head.readUInt16LE(0x3c);
    const shstrndx = head.readUInt16LE(0x3e);
    const table = Buffer.alloc(shentsize * shnum);
    fs.readSync(fd, table, 0, table.length, shoff);
    const raw = Array.from({ length: shnum }, (_, i) => {
      const o = i * shentsize;
      return { nameOff: table.readUInt32LE(o), addr: table.readBigUInt64LE(o + 16), offset: Number(table.readBigUInt64LE(o + 24)), size: table.readBigUInt64LE(o + 32) };
    });
    const names = Buffer.alloc(Number(raw[shstrndx].size));
    fs.readSync(fd, names, 0, names.length, raw[shstrndx].offset);
    return raw.map((s) => ({ name: names.toString('latin1', s.nameOff, names.indexOf(0, s.nameOff)), addr: s.addr, size: s.size, offset: s.offset }));
  } finally {
    fs.closeSync(fd);
  }
}

/** Where the library's first byte is mapped in this process (/proc/self/maps). */
function loadBase(file: string): bigint {
  const real = fs.realpathSync(file);
  for (const line of fs.readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const m = /^([0-9a-f]+)-[0-9a-f]+ \S+ ([0-9a-f]+) \S+ \d+\s+(.+)$/.exec(line);
    if (m && m[3] === real && BigInt(`0x${m[2]}`) === 0n) return BigInt(`0x${m[1]}`);
  }
  throw new Error(`${real} is not mapped in this process`);
}

/** Readable address ranges of this process, so that no pointer is followed into unmapped memory. */
function readableRanges(): [bigint, bigint][] {
  const ranges: [bigint, bigint][] = [];
  for (const line of fs.readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) r/.exec(line);
    if (m) ranges.push([BigInt(`0x${m[1]}`), BigInt(`0x${m[2]}`)]);
  }
  return ranges;
}

/** The Dawn functions a captured engine uploads with. */
export class DawnUpload {
  private constructor(
    private readonly koffi: Koffi,
    private readonly inCode: (p: bigint) => boolean,
    private readonly inVtables: (p: bigint) => boolean,
    private readonly fn: { deviceGetQueue: (d: bigint) => unknown; queueWriteBuffer: (q: unknown, b: bigint, off: bigint, data: unknown, size: number) => void; bufferGetSize: (b: bigint) => bigint | number },
  ) {}

  /** Finds the functions in the loaded onnxruntime library; a ProviderError says why not. */
  static find(koffi: Koffi, libraryPath: string): DawnUpload {
    if (process.platform !== 'linux' || process.arch !== 'x64') throw new ProviderError(`The direct upload path is implemented for linux-x64 only, not ${process.platform}-${process.arch}`);
    try {
      const sections = elfSections(libraryPath);
      const get = (name: string) => {
        const s = sections.find((x) => x.name === name);
        if (!s) throw new Error(`no ${name} section`);
        return s;
      };
      const [text, rodata, relro, data, bss] = ['.text', '.rodata', '.data.rel.ro', '.data', '.bss'].map(get);
      const base = loadBase(libraryPath);
      const within = (s: Section) => (p: bigint) => p >= base + s.addr && p < base + s.addr + s.size;
      const strings = Buffer.alloc(Number(rodata.size));
      const fd = fs.openSync(libraryPath, 'r');
      try {
        fs.readSync(fd, strings, 0, strings.length, rodata.offset);
      } finally {
        fs.closeSync(fd);
      }
      const inCode = within(text);
      const proc = (name: string): bigint => {
        const at = strings.indexOf(Buffer.from(`\0${name}\0`, 'latin1'));
        if (at < 0) throw new Error(`no ${name} in the library's strings`);
        const target = base + rodata.addr + BigInt(at + 1);
        for (const s of [bss, data]) {
          const words = new BigUint64Array(koffi.view(base + s.addr, Number(s.size) & ~7));
          for (let i = 2; i < words.length; i++) {
            if (words[i] === target && words[i - 1] === BigInt(name.length) && inCode(words[i - 2])) return words[i - 2];
          }
        }
        throw new Error(`no loaded proc-table entry for ${name}`);
      };
      const fn = {
        deviceGetQueue: koffi.decode(proc('wgpuDeviceGetQueue'), koffi.proto('void *(uint64_t device)')) as (d: bigint) => unknown,
        queueWriteBuffer: koffi.decode(proc('wgpuQueueWriteBuffer'), koffi.proto('void (void *queue, uint64_t buffer, uint64_t offset, void *data, size_t size)')) as DawnUpload['fn']['queueWriteBuffer'],
        bufferGetSize: koffi.decode(proc('wgpuBufferGetSize'), koffi.proto('uint64_t (uint64_t buffer)')) as (b: bigint) => bigint | number,
      };
      return new DawnUpload(koffi, inCode, within(relro), fn);
    } catch (err) {
      throw new ProviderError(`Dawn's upload functions cannot be found in ${libraryPath}: ${(err as Error).message}`, { subject: libraryPath, cause: err });
    }
  }

  /** Whether `object` is readable memory whose first word (a vtable pointer) lies in the library's vtables. */
  private vtableOk(address: bigint | number, readable: [bigint, bigint][]): boolean {
    const object = BigInt(address);
    const mapped = object % 8n === 0n && readable.some(([lo, hi]) => object >= lo && object + 24n <= hi);
    return mapped && this.inVtables(this.word(object));
  }

  /** The 64-bit word at `address` (koffi gives a Number when it fits, a BigInt otherwise). */
  private word(address: bigint): bigint {
    return BigInt(this.koffi.decode(address, 'uint64_t') as bigint | number);
  }

  /**
   * A writer of `bytes` host bytes into `buffer` (a WGPUBuffer of onnxruntime's, from a device tensor's
   * data pointer) through the queue of the buffer's device.
   */
  writer(bufferAddress: bigint | number, bytes: number): (data: unknown) => void {
    const buffer = BigInt(bufferAddress);
    const fail = (what: string) => new ProviderError(`Cannot use the direct upload path: ${what}`, { subject: 'upload', fix: "use upload: 'onnxruntime'" });
    const readable = readableRanges();
    if (!this.vtableOk(buffer, readable)) throw fail('the device tensor is not a Dawn buffer');
    const size = BigInt(this.fn.bufferGetSize(buffer));
    if (size < BigInt(bytes)) throw fail(`the device buffer holds ${size} bytes, not ${bytes}`);
    const device = this.word(buffer + 16n);
    if (!this.vtableOk(device, readable)) throw fail('the buffer\'s device is not where Dawn keeps it');
    const queue = this.fn.deviceGetQueue(device);
    const queueAddress = queue ? BigInt(this.koffi.address(queue) as bigint | number) : 0n;
    if (!this.vtableOk(queueAddress, readableRanges())) throw fail('the device has no queue');
    if (bytes % 4 !== 0) throw fail(`writes must be multiples of 4 bytes, not ${bytes}`);
    return (data: unknown) => this.fn.queueWriteBuffer(queue, buffer, 0n, data, bytes);
  }

  /** @internal for tests: whether an address is in the library's code. */
  isCode(p: bigint): boolean {
    return this.inCode(p);
  }
}
