/**
 * Profiles as the flags and configs users take to other tools: trtexec, onnxruntime's TensorRT
 * provider (Python), and a Triton `config.pbtxt` input section.
 */
import type { Profile, ProfileFile } from './types';

function asList(p: Profile | ProfileFile | readonly Profile[]): readonly Profile[] {
  if (Array.isArray(p)) return p;
  return 'profiles' in (p as ProfileFile) ? (p as ProfileFile).profiles : [p as Profile];
}

function shapes(p: Profile, which: 'min' | 'opt' | 'max'): string {
  return Object.entries(p.shapes).map(([name, r]) => `${name}:${r[which].join('x')}`).join(',');
}

/**
 * trtexec flags, one `--minShapes/--optShapes/--maxShapes` triple per profile (trtexec makes one
 * optimisation profile per repeated triple).
 */
export function toTrtexecFlags(profile: Profile | ProfileFile | readonly Profile[]): string {
  return asList(profile).map((p) => `--minShapes=${shapes(p, 'min')} --optShapes=${shapes(p, 'opt')} --maxShapes=${shapes(p, 'max')}`).join(' \\\n  ');
}

/**
 * onnxruntime TensorRT execution provider options as Python dict text (explicit profile shapes;
 * several profiles are listed comma-separated, as the provider expects).
 */
export function toOrtTensorRtOptions(profile: Profile | ProfileFile | readonly Profile[], options: { fp16?: boolean; cachePath?: string } = {}): string {
  const list = asList(profile);
  const join = (w: 'min' | 'opt' | 'max') => list.map((p) => shapes(p, w)).join(',');
  const lines = [
    `    "trt_profile_min_shapes": "${join('min')}",`,
    `    "trt_profile_opt_shapes": "${join('opt')}",`,
    `    "trt_profile_max_shapes": "${join('max')}",`,
    `    "trt_fp16_enable": ${options.fp16 ? 'True' : 'False'},`,
    `    "trt_engine_cache_enable": True,`,
    `    "trt_engine_cache_path": "${options.cachePath ?? './trt_cache'}",`,
  ];
  return `{\n${lines.join('\n')}\n}`;
}

/**
 * The `input [...]` section of a Triton `config.pbtxt` (batch dimension left to `max_batch_size`),
 * dynamic dims as -1, with the profile ranges as comments.
 */
export function toTritonConfig(profile: Profile | ProfileFile | readonly Profile[], options: { dataType?: string; maxBatchSize?: number } = {}): string {
  const list = asList(profile);
  const first = list[0];
  const out: string[] = [`max_batch_size: ${options.maxBatchSize ?? 1}`, 'input ['];
  const names = Object.keys(first.shapes);
  names.forEach((name, i) => {
    const dims = first.shapes[name].min.slice(1).map((_, d) =>
      list.every((p) => p.shapes[name].min[d + 1] === p.shapes[name].max[d + 1]) ? first.shapes[name].min[d + 1] : -1,
    );
    out.push('  {');
    out.push(`    name: "${name}"`);
    out.push(`    data_type: ${options.dataType ?? 'TYPE_FP32'}`);
    out.push(`    dims: [ ${dims.join(', ')} ]`);
    for (const p of list) {
      const r = p.shapes[name];
      out.push(`    # ${p.name}: min ${r.min.join('x')}, opt ${r.opt.join('x')}, max ${r.max.join('x')}`);
    }
    out.push(i === names.length - 1 ? '  }' : '  },');
  });
  out.push(']');
  return out.join('\n');
}
