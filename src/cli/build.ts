/** `detbench build`: build (or reuse from the cache) an engine and print its manifest. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { integerIn, oneOf, progressBar, type Progress } from '../core';
import { CALIBRATION_METHODS, DEFAULT_BUILD_OPTIONS, VARIANTS, buildEngine, listEngines, numericalCheck, type Engine } from '../engine';
import { loadProfile } from '../profiles';
import { PROVIDERS, type ConcreteProvider } from '../session';

interface BuildFlags {
  variant?: string;
  model: string;
  calibration?: string;
  calibrationSize: string;
  method: string;
  calibrationSide?: string;
  ep?: string;
  profile?: string;
  force?: boolean;
  check?: string;
  list?: boolean;
  json?: boolean;
}

function summary(e: Engine): string {
  const lines = [
    `engine ${e.variant} (${e.precision}, for ${e.provider}) ${e.cacheHit ? 'reused from cache' : e.rebuiltBecause ? `rebuilt: ${e.rebuiltBecause}` : 'built'}`,
    `  model file   ${e.modelPath}`,
    `  source       ${e.source.model} (${e.source.sha256.slice(0, 12)})`,
    `  onnxruntime  ${e.ortVersion}`,
    `  size         ${(e.sizeBytes / 1e6).toFixed(2)} MB`,
    `  build time   ${(e.buildMs / 1000).toFixed(1)} s`,
    `  options      ${JSON.stringify(e.buildOptions, (k, v) => (k === 'images' && Array.isArray(v) ? `${v.length} images` : v))}`,
    `  key          ${e.key.slice(0, 16)}`,
  ];
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('build')
    .description('build (or reuse from the cache) an fp32-optimized, fp16, int8 or webgpu engine and print its manifest')
    .option('--variant <v>', `engine variant: ${VARIANTS.join(' | ')}`)
    .option('--model <name|path>', 'registered model name or .onnx path', 'ppocrv4-det')
    .option('--calibration <dir>', 'int8: calibration images (default: the default dataset)')
    .option('--calibration-size <n>', 'int8: number of calibration images', '10')
    .option('--method <m>', `int8: calibration method: ${CALIBRATION_METHODS.join(' | ')}`, DEFAULT_BUILD_OPTIONS.calibrationMethod)
    .option('--calibration-side <px>', 'int8: resize calibration images to this longest side')
    .option('--ep <provider>', 'provider the engine is for (default: cpu for int8/fp32, webgpu for fp16/webgpu)')
    .option('--profile <file>', 'shape profile file (detbench profile --out) to record in the manifest')
    .option('--force', 'rebuild even when the cache holds a valid engine')
    .option('--check <dir>', 'then compare against fp32 on the first 2 images of DIR')
    .option('--list', 'list the engine cache instead of building')
    .option('--json', 'print JSON')
    .action(async (flags: BuildFlags) => {
      if (flags.list) {
        const entries = listEngines();
        if (flags.json) process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
        else for (const c of entries) process.stdout.write(`${c.slot.padEnd(40)} ${c.engine ? `${(c.engine.sizeBytes / 1e6).toFixed(2)} MB  built ${c.engine.builtAt}` : `UNUSABLE: ${c.problem}`}\n`);
        return;
      }
      const variant = oneOf('--variant', flags.variant, VARIANTS);
      let bar: Progress | undefined;
      let stage = '';
      const engine = await buildEngine({
        variant,
        model: flags.model,
        calibration: flags.calibration,
        calibrationSize: integerIn('--calibration-size', Number(flags.calibrationSize), 1, 100_000),
        calibrationMethod: oneOf('--method', flags.method, CALIBRATION_METHODS),
        ...(flags.calibrationSide ? { calibrationSide: integerIn('--calibration-side', Number(flags.calibrationSide), 32, 8192) } : {}),
        ...(flags.ep ? { provider: oneOf('--ep', flags.ep, PROVIDERS.filter((p): p is ConcreteProvider => p !== 'auto')) } : {}),
        ...(flags.profile ? { profile: loadProfile(flags.profile) } : {}),
        force: Boolean(flags.force),
        onProgress: (s, done, total) => {
          if (s !== stage) {
            bar?.stop();
            bar = progressBar(s, total);
            stage = s;
          }
          bar?.tick();
          if (done === total) bar?.stop();
        },
      });
      bar?.stop();
      let check: unknown;
      if (flags.check) {
        const dir = fs.existsSync(path.join(flags.check, 'images')) ? path.join(flags.check, 'images') : flags.check;
        const images = fs.readdirSync(dir).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort().slice(0, 2).map((f) => path.join(dir, f));
        check = await numericalCheck(engine, images);
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(check ? { ...engine, numericalCheck: check } : engine, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${summary(engine)}\n`);
      if (check) process.stdout.write(`  check        ${JSON.stringify((check as { outputs: unknown }).outputs)}\n`);
    });
}
