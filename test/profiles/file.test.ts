import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, OptionError, ShapeError } from '../../src/core';
import {
  PROFILE_SCHEMA_ID, bucketShapes, loadProfile, parseBuckets, saveProfile, smallestBucket, toOrtTensorRtOptions, toTritonConfig, toTrtexecFlags, validateShape,
  type Profile, type ProfileFile,
} from '../../src/profiles';
import { tempDir } from '../helpers/fixtures';

const dir = tempDir();
const profile: Profile = { name: 'default', shapes: { x: { min: [1, 3, 32, 32], opt: [1, 3, 736, 1280], max: [1, 3, 960, 1280] } } };
const file = (profiles: Profile[] = [profile]): ProfileFile => ({ schema: PROFILE_SCHEMA_ID, model: 'ppocrv4-det', dynamicInputs: ['x'], multiple: 32, optRule: 'most-frequent', profiles });
const write = (name: string, value: unknown) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, JSON.stringify(value));
  return p;
};

test('a shape inside the profile passes and returns the profile', () => {
  assert.equal(validateShape([1, 3, 544, 960], profile).name, 'default');
});

test('a shape above max names the dimension, the bound and the resize setting that fixes it', () => {
  assert.throws(() => validateShape([1, 3, 1024, 960], profile), (e: Error) =>
    e instanceof ShapeError &&
    /Input x shape 1x3x1024x960 is outside/.test(e.message) &&
    /dimension 2 \(height\) = 1024 is above the profile's max 960/.test(e.message) &&
    /limitType "max" and limitSideLen 960/.test(e.message));
});

test('a shape below min says to pad or resize up', () => {
  assert.throws(() => validateShape([1, 3, 16, 64], profile), (e: Error) =>
    e instanceof ShapeError && /dimension 2 \(height\) = 16 is below the profile's min 32/.test(e.message) && /pad the image to at least 32/.test(e.message));
});

test('a shape of the wrong rank or with non-integers is a ShapeError', () => {
  assert.throws(() => validateShape([3, 544, 960], profile), (e: Error) => e instanceof ShapeError && /rank 3 differs from the profile's rank 4/.test(e.message));
  assert.throws(() => validateShape([1, 3, 54.5, 960], profile), (e: Error) => e instanceof ShapeError && /not a list of positive integers/.test(e.message));
});

test('with several profiles, any one that covers the shape is enough', () => {
  const small: Profile = { name: 'small', shapes: { x: { min: [1, 3, 32, 32], opt: [1, 3, 320, 320], max: [1, 3, 320, 320] } } };
  assert.equal(validateShape([1, 3, 544, 960], file([small, profile])).name, 'default');
  assert.throws(() => validateShape([1, 3, 2048, 64], file([small, profile])), (e: Error) => e instanceof ShapeError && /small: .*; default: /.test(e.message));
});

test('save then load gives the same profile file', () => {
  const p = path.join(dir, 'ok.json');
  saveProfile(p, file());
  assert.deepEqual(loadProfile(p), file());
});

test('rejects a profile whose min exceeds max', () => {
  const bad = file([{ name: 'b', shapes: { x: { min: [1, 3, 960, 32], opt: [1, 3, 736, 1280], max: [1, 3, 640, 1280] } } }]);
  assert.throws(() => loadProfile(write('minmax.json', bad)), (e: Error) =>
    e instanceof InputError && /minmax\.json/.test(e.message) && /dimension 2 \(height\): min 960 <= opt 736 <= max 640 does not hold/.test(e.message));
});

test('rejects a profile that leaves out a dynamic input', () => {
  const bad = { ...file(), dynamicInputs: ['x', 'mask'] };
  assert.throws(() => loadProfile(write('missing.json', bad)), (e: Error) => e instanceof InputError && /has no range for dynamic input mask/.test(e.message));
});

test('rejects spatial dims that are not multiples of the model multiple', () => {
  const bad = file([{ name: 'b', shapes: { x: { min: [1, 3, 32, 32], opt: [1, 3, 730, 1280], max: [1, 3, 960, 1280] } } }]);
  assert.throws(() => loadProfile(write('multiple.json', bad)), (e: Error) => e instanceof InputError && /opt height 730 is not a multiple of 32/.test(e.message) && /e\.g\. 736/.test(e.message));
});

test('rejects a file with another schema, broken JSON, or no file at all', () => {
  assert.throws(() => loadProfile(write('schema.json', { ...file(), schema: 'x/2' })), (e: Error) => e instanceof InputError && /expected "detbench-profile\/1"/.test(e.message));
  const broken = path.join(dir, 'broken.json');
  fs.writeFileSync(broken, '{"schema": ');
  assert.throws(() => loadProfile(broken), (e: Error) => e instanceof InputError && /is not valid JSON/.test(e.message));
  assert.throws(() => loadProfile(path.join(dir, 'nope.json')), (e: Error) => e instanceof InputError && /Profile file not found/.test(e.message));
});

test('saveProfile refuses an invalid profile and writes nothing', () => {
  const p = path.join(dir, 'never.json');
  const bad = file([{ name: 'b', shapes: {} }]);
  assert.throws(() => saveProfile(p, bad), InputError);
  assert.equal(fs.existsSync(p), false);
});

test('exports trtexec flags, ORT TensorRT options and a Triton input section', () => {
  assert.equal(toTrtexecFlags(profile), '--minShapes=x:1x3x32x32 --optShapes=x:1x3x736x1280 --maxShapes=x:1x3x960x1280');
  const ort = toOrtTensorRtOptions(file(), { fp16: true });
  assert.match(ort, /"trt_profile_min_shapes": "x:1x3x32x32",/);
  assert.match(ort, /"trt_profile_max_shapes": "x:1x3x960x1280",/);
  assert.match(ort, /"trt_fp16_enable": True,/);
  const triton = toTritonConfig(profile);
  assert.match(triton, /name: "x"\n {4}data_type: TYPE_FP32\n {4}dims: \[ 3, -1, -1 \]/);
});

test('parseBuckets reads HEIGHTxWIDTH lists and profile files (their opt shapes, deduplicated)', () => {
  assert.deepEqual(parseBuckets('544x960, 960x544', 'x'), [{ height: 544, width: 960 }, { height: 960, width: 544 }]);
  const b1: Profile = { name: 'b1', shapes: { x: { min: [1, 3, 32, 32], opt: [1, 3, 544, 960], max: [1, 3, 544, 960] } } };
  const b2: Profile = { name: 'b2', shapes: { x: { min: [1, 3, 32, 32], opt: [1, 3, 960, 960], max: [1, 3, 960, 960] } } };
  const p = path.join(dir, 'buckets.json');
  saveProfile(p, file([b1, b2, { ...b1, name: 'b1-again' }]));
  assert.deepEqual(parseBuckets(p, 'x'), [{ height: 544, width: 960 }, { height: 960, width: 960 }]);
  assert.deepEqual(bucketShapes([b1, b2], 'x', 'max'), [{ height: 544, width: 960 }, { height: 960, width: 960 }]);
  assert.throws(() => parseBuckets(p, 'image'), (e: Error) => e instanceof InputError && e.message.includes(p) && /no profile shapes for input image/.test(e.message));
  assert.throws(() => parseBuckets('544x960,big', 'x'), (e: Error) => e instanceof OptionError && /Bucket "big" is not HEIGHTxWIDTH/.test(e.message));
  assert.throws(() => parseBuckets(path.join(dir, 'no-such-profile.json'), 'x'), (e: Error) => e instanceof InputError && /Profile file not found/.test(e.message));
});

test('smallestBucket picks the least area that holds the size, or none', () => {
  const buckets = [{ height: 960, width: 960 }, { height: 544, width: 960 }, { height: 960, width: 544 }];
  assert.deepEqual(smallestBucket({ height: 512, width: 960 }, buckets), { height: 544, width: 960 });
  assert.deepEqual(smallestBucket({ height: 704, width: 544 }, buckets), { height: 960, width: 544 });
  assert.deepEqual(smallestBucket({ height: 704, width: 800 }, buckets), { height: 960, width: 960 });
  assert.equal(smallestBucket({ height: 992, width: 32 }, buckets), undefined);
});
