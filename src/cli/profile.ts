/** `detbench profile`: the input shapes a dataset gives a model, and the profile(s) designed from them. */
import type { Command } from 'commander';
import { OptionError, integerIn, numberIn, oneOf } from '../core';
import { resolveModel } from '../models';
import {
  PROFILE_SCHEMA_ID, designBuckets, designProfile, imageSizes, profileRows, saveProfile, shapeDistribution,
  toOrtTensorRtOptions, toTritonConfig, toTrtexecFlags, type ProfileFile,
} from '../profiles';

interface ProfileFlags {
  data: string;
  model: string;
  buckets?: string;
  maxWaste?: string;
  opt: string;
  out?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('profile')
    .description('design shape profiles (single min/opt/max, or k buckets) from a dataset and a model resize policy')
    .requiredOption('--data <dir>', 'dataset directory (images/ inside, or images directly)')
    .option('--model <name|path>', 'registered model name or .onnx path', 'ppocrv4-det')
    .option('--buckets <k>', 'also design K bucket profiles minimising padded pixels')
    .option('--max-waste <fraction>', 'or: the fewest buckets whose padding waste is at most this (0..1)')
    .option('--opt <rule>', 'opt shape of the single profile: most-frequent | median-area', 'most-frequent')
    .option('--out <file>', 'write the profile file (JSON, validated) here')
    .option('--json', 'print one JSON document')
    .action(async (flags: ProfileFlags) => {
      const spec = resolveModel(flags.model);
      const opt = oneOf('--opt', flags.opt, ['most-frequent', 'median-area'] as const);
      if (flags.buckets && flags.maxWaste) throw new OptionError('Pass --buckets or --max-waste, not both', { fix: 'keep one of them' });
      const { sizes, errors } = await imageSizes(flags.data);
      const dist = shapeDistribution(sizes, spec.resize);
      const options = { input: spec.input.name, opt };
      const single = designProfile(dist, options);
      const buckets = flags.buckets
        ? designBuckets(dist, { k: integerIn('--buckets', Number(flags.buckets), 1, 1000) }, options)
        : flags.maxWaste
          ? designBuckets(dist, { maxWaste: numberIn('--max-waste', Number(flags.maxWaste), 0, 1) }, options)
          : undefined;
      const profiles = buckets ?? [single];
      const file: ProfileFile = {
        schema: PROFILE_SCHEMA_ID, model: spec.name, dynamicInputs: [spec.input.name], multiple: spec.resize.multiple,
        optRule: buckets ? 'bucket-max' : opt, policy: spec.resize, profiles,
      };
      if (flags.out) saveProfile(flags.out, file);
      if (errors.length > 0) process.exitCode = 1;
      const rows = profileRows(dist, buckets ? [single, ...buckets] : [single], spec.input.name);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ images: sizes.length, errors, distribution: dist, single, buckets: buckets ?? null, rows, profileFile: file, trtexec: toTrtexecFlags(profiles), ortTensorRt: toOrtTensorRtOptions(profiles), triton: toTritonConfig(profiles) }, null, 2)}\n`);
        return;
      }
      const lines = [`${sizes.length} images, ${dist.length} distinct input shapes under ${spec.name}'s resize (${spec.resize.limitType} ${spec.resize.limitSideLen}, multiple ${spec.resize.multiple}); single-profile opt = ${opt}`, ''];
      lines.push('profile     min              opt              max              images  coverage  waste');
      for (const r of rows) lines.push(`${r.profile.padEnd(10)}  ${r.min.padEnd(15)}  ${r.opt.padEnd(15)}  ${r.max.padEnd(15)}  ${String(r.images).padStart(6)}  ${(r.coverage * 100).toFixed(1).padStart(7)}%  ${(r.waste * 100).toFixed(1).padStart(5)}%`);
      lines.push('', 'trtexec:', `  ${toTrtexecFlags(profiles)}`, '', 'onnxruntime TensorRT provider options (Python):', toOrtTensorRtOptions(profiles), '', 'Triton config.pbtxt:', toTritonConfig(profiles));
      for (const e of errors) lines.push(`FAILED ${e.file}: ${e.error}`);
      if (flags.out) lines.push('', `wrote ${flags.out}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
