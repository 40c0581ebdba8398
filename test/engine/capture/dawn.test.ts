import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrtCApi } from '../../../src/engine/capture';
import { DawnUpload, VERIFIED_BUILDS } from '../../../src/engine/capture/dawn';
import { ProviderError } from '../../../src/core';

const linuxX64 = process.platform === 'linux' && process.arch === 'x64';

test('Dawn\'s upload functions are found in the loaded onnxruntime library, a verified build, and a non-Dawn buffer is refused', (t) => {
  const api = OrtCApi.load();
  if (!linuxX64) {
    assert.throws(() => DawnUpload.find(api.koffi, api.libraryPath), ProviderError);
    t.skip('the direct upload path is linux-x64 only');
    return;
  }
  const dawn = DawnUpload.find(api.koffi, api.libraryPath, true);
  assert.equal(dawn.build.verified, true, `build ${dawn.build.id} of onnxruntime-node ${api.version} is not in VERIFIED_BUILDS`);
  assert.match(VERIFIED_BUILDS[dawn.build.id], new RegExp(`onnxruntime-node ${api.version.replace(/\./g, '\\.')}`));
  // A zeroed block is no Dawn object: refused before any Dawn function is called with it.
  const block = api.koffi.alloc('uint64_t', 8);
  try {
    const address = api.koffi.address(block) as bigint;
    assert.equal(dawn.isCode(address), false);
    assert.throws(() => dawn.writer(address, 64), (e: Error) => e instanceof ProviderError && /not a Dawn buffer/.test(e.message) && /Fix: use upload: 'onnxruntime'/.test(e.message));
    // Unmapped and misaligned addresses are refused without being read.
    for (const bogus of [8n, 0x10n, address + 3n]) assert.throws(() => dawn.writer(bogus, 64), /not a Dawn buffer/);
    // koffi hands out addresses as Numbers when they fit: the same checks apply.
    assert.throws(() => dawn.writer(Number(address), 64), /not a Dawn buffer/);
    assert.throws(() => dawn.writer(address, 66), /multiples of 4 bytes, not 66/);
  } finally {
    api.koffi.free(block);
  }
});

test('a library that is not a verified onnxruntime build is refused for auto, and one without Dawn\'s table always', (t) => {
  if (!linuxX64) {
    t.skip('the direct upload path is linux-x64 only');
    return;
  }
  const api = OrtCApi.load();
  // The Node binary is an ELF file too, but no verified build and without Dawn's proc table.
  assert.throws(() => DawnUpload.find(api.koffi, process.execPath, true), (e: Error) =>
    e instanceof ProviderError && e.message.includes(process.execPath) && /is not one the direct upload was verified on \(pass upload: 'queue' to try it\)/.test(e.message));
  assert.throws(() => DawnUpload.find(api.koffi, process.execPath), (e: Error) =>
    e instanceof ProviderError && /no wgpuDeviceGetQueue in the library's strings/.test(e.message));
});
