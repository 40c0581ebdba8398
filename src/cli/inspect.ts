/** `detbench inspect [MODEL]`: inputs/outputs, opsets, operators, parameters, FLOPs and the engine-build lint. */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { inspectModel, formatInspection, parseShape, lintModel, formatLint, LINT_RULES, type LintRule } from '../onnx';
import { resolveModel, DEFAULT_MODEL } from '../models';
import { oneOf } from '../core';

interface InspectFlags {
  shape?: string;
  json?: boolean;
  lint: boolean;
  webgpu: boolean;
  ignore?: string;
}

export function register(program: Command): void {
  program
    .command('inspect')
    .description('show a model\'s inputs/outputs, opsets, operators, parameters and FLOPs, and lint it for engine builds')
    .argument('[model]', `.onnx path or registered model name (default: ${DEFAULT_MODEL})`)
    .option('--shape <NxCxHxW>', 'input shape for the FLOPs estimate, e.g. 1x3x736x1280')
    .option('--no-lint', 'skip the engine-build lint')
    .option('--no-webgpu', 'do not check operators against the WebGPU provider')
    .option('--ignore <rules>', `comma-separated lint rules to skip: ${LINT_RULES.join(', ')}`)
    .option('--json', 'print one JSON document')
    .action((model: string | undefined, flags: InspectFlags) => {
      const file = model && fs.existsSync(model) ? model : resolveModel(model ?? DEFAULT_MODEL).path();
      const inspection = inspectModel(file, flags.shape ? { shape: parseShape(flags.shape) } : {});
      const ignore = (flags.ignore ?? '').split(',').filter(Boolean).map((r) => oneOf('--ignore', r.trim(), LINT_RULES) as LintRule);
      const lint = flags.lint ? lintModel(file, { webgpu: flags.webgpu, ignore }) : null;
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ ...inspection, lint }, null, 2)}\n`);
      } else {
        process.stdout.write(`${formatInspection(inspection)}\n`);
        if (lint) process.stdout.write(`${formatLint(lint)}\n`);
      }
    });
}
