#!/usr/bin/env bash
# GPU benchmark of PP-OCRv4 det (1x3x736x1280) on any Linux x64 NVIDIA machine with a Vulkan driver.
#
# From the project root, on the GPU host:
#   npm ci && npx tsc -p .            # or, on a host without node/registry: source .gpu/setup.sh (see bench/NOTES.md)
#   bash bench/gpu/run.sh [--quick]
# Env: IMAGES (folder of test images, default ../shared/data/ic15_train_mmocr10/images),
#      RESULTS (where JSON goes, default bench/gpu/results).
# Writes RESULTS/gpu-<stamp>.json (latency table, correctness against fp32 CPU, pipeline images/s) and
# RESULTS/detect-compare-<stamp>.json (`detbench detect --ep webgpu` against `--ep cpu`). Extra gpu-bench.js
# flags pass through (--quick, --only NAME,..., --all). CLEval of non-exact variants: bench/gpu/cleval-check.js.
set -uo pipefail
cd "$(dirname "$0")/../.."
images=${IMAGES:-../shared/data/ic15_train_mmocr10/images}
results=${RESULTS:-bench/gpu/results}
engines=.cache/gpu-engines
mkdir -p "$results" "$engines"
[ -f dist/engine/io/index.js ] || npx tsc -p . || true
export GPU_NAME
GPU_NAME=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -1 || echo unknown)
echo "GPU: $GPU_NAME; node $(node --version); Vulkan driver file: ${VK_DRIVER_FILES:-default}" >&2

# 1. The int8, fp16 and rewritten (webgpu, fp32-optimized) engines, from detbench's own builders (cached;
#    int8 calibrated on the test images).
for v in int8 fp16 webgpu fp32-optimized; do
  if [ ! -f "$engines/$v.onnx" ]; then
    path=$(node bin/detbench.js build --variant "$v" --calibration "$images" --json | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).modelPath))") \
      && cp "$path" "$engines/$v.onnx" || echo "$v engine build failed: its rows will be missing" >&2
  fi
done

# 2. The latency table and the pipeline's images/s.
stamp=$(date -u +%Y%m%d-%H%M)
node bench/gpu/gpu-bench.js --images "$images" --engines "$engines" --out "$results/gpu-$stamp.json" "$@"

# 2b. The captured WebGPU engine (src/engine/capture) beside onnxruntime-node's own paths.
node bench/gpu/capture.js --images "$images" --out "$results/capture-$stamp.json" $( [ "${1:-}" = --quick ] && echo --quick )

# 3. The CLI on both providers: same boxes? and the latencies.
node bin/detbench.js detect --ep cpu --json "$images"/* > "$engines/detect-cpu.json" 2> "$engines/detect-cpu.log"
node bin/detbench.js detect --ep webgpu --json "$images"/* > "$engines/detect-webgpu.json" 2> "$engines/detect-webgpu.log"
node bench/gpu/compare-detect.js "$engines/detect-cpu.json" "$engines/detect-webgpu.json" > "$results/detect-compare-$stamp.json" \
  || { echo "detect comparison failed:"; tail -n 3 "$engines"/detect-*.log; }
cat "$results/detect-compare-$stamp.json" 2>/dev/null
