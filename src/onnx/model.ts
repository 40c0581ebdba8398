/**
 * Reading and writing ONNX models with protobufjs code generated from the official `onnx.proto`
 * (package `onnx-proto`, IR version 8). Every stage that edits graphs (fp16, int8, lint, inspect)
 * goes through these two functions.
 */
import * as fs from 'node:fs';
import { onnx } from 'onnx-proto';
import { InputError, ModelError, defaultLogger, type Logger } from '../core';

export { onnx };

/** Highest IR version whose fields the bundled schema knows; newer fields would be dropped on save. */
export const SCHEMA_IR_VERSION = 8;

/** Decodes an ONNX model from a file path or its bytes. Throws a ModelError naming the file if it is not ONNX. */
export function loadOnnx(source: string | Uint8Array, logger: Logger = defaultLogger()): onnx.ModelProto {
  let bytes: Uint8Array;
  const name = typeof source === 'string' ? source : '<model bytes>';
  if (typeof source === 'string') {
    if (!fs.existsSync(source)) {
      throw new InputError(`Model file not found: ${source}`, { subject: source, fix: 'check the path, or omit it to use the default PP-OCRv4 det model' });
    }
    if (fs.statSync(source).isDirectory()) {
      throw new InputError(`Expected an .onnx file but ${source} is a directory`, { subject: source, fix: 'pass the path of the .onnx file inside it' });
    }
    bytes = fs.readFileSync(source);
  } else {
    bytes = source;
  }
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new ModelError(`${name} is not an ONNX model (protobuf decode failed: ${(err as Error).message})`, {
      subject: name,
      fix: 'export the model to ONNX first (detbench export), or check that the file is not truncated',
      cause: err,
    });
  }
  if (!model.graph || !model.graph.node || model.graph.node.length === 0) {
    throw new ModelError(`${name} is not an ONNX model (it decodes but has no graph nodes)`, {
      subject: name,
      fix: 'pass an .onnx file produced by torch.onnx.export, paddle2onnx or tf2onnx',
    });
  }
  const ir = Number(model.irVersion ?? 0);
  if (ir > SCHEMA_IR_VERSION) {
    logger.warn(`${name} has IR version ${ir}; fields added after IR ${SCHEMA_IR_VERSION} are not kept if detbench rewrites it`);
  }
  return model;
}

/** Encodes a model to bytes. */
export function saveOnnx(model: onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model as onnx.ModelProto).finish();
}

/** The opset version of the default ("" or "ai.onnx") domain. */
export function defaultOpset(model: onnx.IModelProto): number {
  for (const imp of model.opsetImport ?? []) {
    if (!imp.domain || imp.domain === 'ai.onnx') return Number(imp.version ?? 0);
  }
  return 0;
}
