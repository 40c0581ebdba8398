import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrtCApi } from '../../../src/engine/capture';
import { DawnUpload } from '../../../src/engine/capture/dawn';
import { ProviderError } from '../../../src/core';

test('Dawn\'s upload functions are found in the loaded onnxruntime library, and a non-Dawn buffer is refused', (t) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    assert.throws(() => DawnUpload.find(OrtCApi.load().koffi, OrtCApi.load().libraryPath), ProviderError);
    t.skip('the direct upload path is linux-x64 only');
    return;
  }
  const api = OrtCApi.load();
  const dawn = DawnUpload.find(api.koffi, api.libraryPath);
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
  } finally {
    api.koffi.free(block);
  }
});

test('a library without Dawn\'s name table is a ProviderError naming it', () => {
  const api = OrtCApi.load();
  // The Node binary is an ELF file too, but holds no Dawn proc table.
  assert.throws(() => DawnUpload.find(api.koffi, process.execPath), (e: Error) => e instanceof ProviderError && e.message.includes(process.execPath));
});
