/**
 * `detbench export`: PyTorch -> ONNX (PAN++ or MODULE:FUNCTION) with dynamic batch/height/width,
 * then parity against PyTorch at several shapes and the engine-build lint. Exit code 1 when parity fails.
 */
import type { Command } from 'commander';
import { exportTorch, checkParity, formatParity, DEFAULT_EXPORT_OPTIONS, DEFAULT_PARITY } from '../export';
import { lintModel, formatLint, parseShape } from '../onnx';
import { integerIn, numberIn, defaultLogger } from '../core';

/** Three sizes (multiples of 32) with different batch, height and width. */
export const DEFAULT_PARITY_SHAPES = '1x3x224x320,2x3x256x256,1x3x320x192';

interface ExportFlags {
  model: string;
  out: string;
  checkpoint?: string;
  opset: string;
  seed: string;
  parityShapes: string;
  parity: boolean;
  atol: string;
  rtol: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('export')
    .description('export a PyTorch model (PAN++ or MODULE:FUNCTION) to ONNX with dynamic axes, check parity with onnxruntime, lint it')
    .requiredOption('--model <panpp|MODULE:FUNCTION>', 'panpp, or e.g. my_models.py:build returning (module, example_input)')
    .requiredOption('--out <file.onnx>', 'output ONNX file')
    .option('--checkpoint <path>', 'weights to load (default: deterministic init from --seed)')
    .option('--opset <n>', 'ONNX opset (11..17)', String(DEFAULT_EXPORT_OPTIONS.opset))
    .option('--seed <n>', 'seed for init and parity inputs', String(DEFAULT_EXPORT_OPTIONS.seed))
    .option('--parity-shapes <list>', 'comma-separated NxCxHxW shapes for the parity check', DEFAULT_PARITY_SHAPES)
    .option('--no-parity', 'skip the parity check')
    .option('--atol <x>', 'parity absolute tolerance', String(DEFAULT_PARITY.atol))
    .option('--rtol <x>', 'parity relative tolerance', String(DEFAULT_PARITY.rtol))
    .option('--json', 'print one JSON document')
    .action(async (flags: ExportFlags) => {
      const log = defaultLogger();
      const parityShapes = flags.parity ? flags.parityShapes.split(',').map(parseShape) : undefined;
      log.info(`exporting ${flags.model} (opset ${flags.opset}) with PyTorch ...`);
      const result = exportTorch({
        model: flags.model,
        out: flags.out,
        checkpoint: flags.checkpoint,
        opset: integerIn('--opset', Number(flags.opset)),
        seed: integerIn('--seed', Number(flags.seed)),
        parityShapes,
      });
      const parity = result.parity
        ? await checkParity(result.out, result.parity, { atol: numberIn('--atol', Number(flags.atol), 0), rtol: numberIn('--rtol', Number(flags.rtol), 0) })
        : null;
      const lint = lintModel(result.out);
      if (parity && !parity.pass) process.exitCode = 1;
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ ...result, parity, lint }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`wrote ${result.out} (opset ${result.opset}, torch ${result.torchVersion}, ${result.exportSeconds.toFixed(1)} s)\n`);
      process.stdout.write(`inputs ${result.inputNames.join(', ')}  outputs ${result.outputNames.join(', ')}  dynamic ${JSON.stringify(result.dynamicAxes)}\n`);
      if (parity) process.stdout.write(`${formatParity(parity)}\n`);
      process.stdout.write(`${formatLint(lint)}\n`);
    });
}
