"""Builds the int8 engine (static QDQ) of PP-OCRv4 det with onnxruntime's own Python tools, on GPU hosts
where the project's int8 builder is not run. (fp16 comes from detbench's own converter, see gpu-bench.js:
onnxruntime's Python fp16 converter broke this model, a BatchNormalization variance overflows half.) Usage: python3 make-engines.py MODEL.onnx OUTDIR CALIB_DIR
CALIB_DIR holds raw float32 NCHW tensors (*.f32, 1x3x736x1280) written by gpu-bench.js for int8 calibration."""
import glob, os, sys, time
import numpy as np
import onnx

model_path, out_dir, calib_dir = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out_dir, exist_ok=True)

t = time.time()
try:
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.files = iter(sorted(glob.glob(os.path.join(calib_dir, "*.f32"))))
        def get_next(self):
            f = next(self.files, None)
            if f is None:
                return None
            return {"x": np.fromfile(f, dtype=np.float32).reshape(1, 3, 736, 1280)}

    pre = os.path.join(out_dir, "pre.onnx")
    quant_pre_process(model_path, pre, skip_symbolic_shape=True)
    quantize_static(pre, os.path.join(out_dir, "int8.onnx"), Reader(), quant_format=QuantFormat.QDQ,
                    per_channel=True, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
    print(f"int8 engine (static QDQ, per-channel, {len(glob.glob(os.path.join(calib_dir, '*.f32')))} calibration images): {time.time() - t:.1f}s", flush=True)
except Exception as e:
    print(f"int8 engine failed: {e!r}", flush=True)
