"""The one Python entry point detbench calls (src/export/torch.ts). Two commands:

  export  --model panpp|MODULE:FUNCTION --out FILE.onnx [--checkpoint PATH] [--opset N] [--seed N]
          [--parity-shapes 1x3x224x320,2x3x256x256 --parity-dir DIR]
  time    --model ... --shape 1x3x736x1280 [--runs N] [--warmup N] [--threads N] [--device cpu|cuda]

Prints one JSON object on the last stdout line; errors go to stderr with exit code 3.
A MODULE:FUNCTION names a module (dotted name or a .py path) whose function returns
(torch.nn.Module, example_input) or (module, example, {"input_names", "output_names", "dynamic_axes"}).
"""
import argparse
import importlib
import inspect
import importlib.util
import json
import os
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def fail(message):
    sys.stderr.write(message + "\n")
    sys.exit(3)


def parse_shape(text):
    try:
        dims = [int(d) for d in text.lower().split("x")]
    except ValueError:
        fail(f"bad shape {text!r}: expected NxCxHxW, e.g. 1x3x736x1280")
    return dims


def load_entry(spec, seed, checkpoint):
    if spec == "panpp":
        sys.path.insert(0, HERE)
        from panpp import build_panpp
        model, example = build_panpp(seed=seed, checkpoint=checkpoint)
        return model, example, {"input_names": ["input"], "output_names": ["text", "kernel", "embedding"]}
    if ":" not in spec:
        fail(f"--model {spec!r}: expected 'panpp' or MODULE:FUNCTION (e.g. my_models.py:build)")
    mod_name, fn_name = spec.rsplit(":", 1)
    sys.path.insert(0, os.getcwd())
    try:
        if mod_name.endswith(".py"):
            s = importlib.util.spec_from_file_location("user_model", mod_name)
            module = importlib.util.module_from_spec(s)
            s.loader.exec_module(module)
        else:
            module = importlib.import_module(mod_name)
    except Exception as e:  # the user's import error, reported with its type
        fail(f"cannot import {mod_name!r}: {type(e).__name__}: {e}")
    fn = getattr(module, fn_name, None)
    if fn is None:
        fail(f"module {mod_name!r} has no function {fn_name!r}")
    torch.manual_seed(seed)
    result = fn()
    if not isinstance(result, tuple) or len(result) not in (2, 3) or not isinstance(result[0], torch.nn.Module):
        fail(f"{spec} must return (torch.nn.Module, example_input[, meta dict]); got {type(result).__name__}")
    model, example = result[0], result[1]
    meta = result[2] if len(result) == 3 else {}
    if checkpoint:
        model.load_state_dict(torch.load(checkpoint, map_location="cpu"))
    return model.eval(), example, meta


def as_tuple(out):
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def default_axes(names, example_tensors):
    axes = {}
    for name, t in zip(names, example_tensors):
        axes[name] = {0: "batch", 2: "height", 3: "width"} if t.dim() == 4 else {0: "batch"}
    return axes


def cmd_export(args):
    model, example, meta = load_entry(args.model, args.seed, args.checkpoint)
    example = example if isinstance(example, tuple) else (example,)
    with torch.no_grad():
        outs = as_tuple(model(*example))
    input_names = meta.get("input_names") or [f"input{i}" if len(example) > 1 else "input" for i in range(len(example))]
    output_names = meta.get("output_names") or [f"output{i}" for i in range(len(outs))]
    axes = meta.get("dynamic_axes") or {**default_axes(input_names, example), **default_axes(output_names, outs)}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    t0 = time.perf_counter()
    # torch >= 2.5 also has the dynamo exporter (the default from 2.9, needing onnxscript); the
    # TorchScript exporter is the one whose dynamic_axes and opset range this stage is written for.
    legacy = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    torch.onnx.export(model, example, args.out, opset_version=args.opset, input_names=input_names,
                      output_names=output_names, dynamic_axes=axes, do_constant_folding=True, **legacy)
    result = {"out": os.path.abspath(args.out), "opset": args.opset, "inputNames": input_names,
              "outputNames": output_names, "dynamicAxes": {k: {str(a): n for a, n in v.items()} for k, v in axes.items()},
              "exportSeconds": time.perf_counter() - t0, "torchVersion": torch.__version__, "parity": None}
    if args.parity_shapes:
        result["parity"] = write_parity_cases(model, args.parity_shapes, args.parity_dir, output_names, args.seed)
    print(json.dumps(result))


def write_parity_cases(model, shapes_text, out_dir, output_names, seed):
    """Saves seeded inputs and PyTorch outputs as raw little-endian float32 plus a manifest."""
    os.makedirs(out_dir, exist_ok=True)
    gen = torch.Generator().manual_seed(seed + 7)
    cases = []
    for i, text in enumerate(shapes_text.split(",")):
        shape = parse_shape(text)
        x = torch.rand(*shape, generator=gen) * 2 - 1
        with torch.no_grad():
            outs = as_tuple(model(x))
        case = {"shape": shape, "input": f"case{i}_input.f32", "outputs": {}}
        x.numpy().astype("<f4").tofile(os.path.join(out_dir, case["input"]))
        for name, t in zip(output_names, outs):
            file = f"case{i}_{name}.f32"
            t.contiguous().numpy().astype("<f4").tofile(os.path.join(out_dir, file))
            case["outputs"][name] = {"file": file, "shape": list(t.shape)}
        cases.append(case)
    manifest = {"cases": cases}
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    return os.path.abspath(out_dir)


def cmd_time(args):
    if args.threads:
        torch.set_num_threads(args.threads)
    model, _, _ = load_entry(args.model, args.seed, args.checkpoint)
    device = torch.device(args.device)
    if args.device == "cuda" and not torch.cuda.is_available():
        fail("--device cuda: torch.cuda.is_available() is False on this machine")
    model = model.to(device)
    x = torch.rand(*parse_shape(args.shape), generator=torch.Generator().manual_seed(args.seed)).to(device)
    sync = torch.cuda.synchronize if args.device == "cuda" else (lambda: None)
    times = []
    with torch.no_grad():
        for i in range(args.warmup + args.runs):
            sync()
            t0 = time.perf_counter()
            model(x)
            sync()
            if i >= args.warmup:
                times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(json.dumps({"engine": f"pytorch-eager-{args.device}", "shape": parse_shape(args.shape), "runs": args.runs,
                      "meanMs": sum(times) / len(times), "p50Ms": times[len(times) // 2], "minMs": times[0],
                      "threads": torch.get_num_threads(), "torchVersion": torch.__version__}))


def main():
    p = argparse.ArgumentParser(prog="detbench_torch")
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("export", "time"):
        s = sub.add_parser(name)
        s.add_argument("--model", required=True)
        s.add_argument("--checkpoint")
        s.add_argument("--seed", type=int, default=0)
        if name == "export":
            s.add_argument("--out", required=True)
            s.add_argument("--opset", type=int, default=17)
            s.add_argument("--parity-shapes")
            s.add_argument("--parity-dir")
        else:
            s.add_argument("--shape", default="1x3x736x1280")
            s.add_argument("--runs", type=int, default=10)
            s.add_argument("--warmup", type=int, default=2)
            s.add_argument("--threads", type=int, default=0)
            s.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    args = p.parse_args()
    if args.cmd == "export":
        if args.parity_shapes and not args.parity_dir:
            fail("--parity-shapes needs --parity-dir")
        cmd_export(args)
    else:
        cmd_time(args)


if __name__ == "__main__":
    main()
