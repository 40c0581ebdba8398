/**
 * One synthetic image, start to finish:
 *
 *   seed, preset, index ──► size + scene plan ──► word masks (atlas) ──► placement
 *        ──► background SVG (+ panels) ──► words drawn through their homographies
 *        ──► noise ──► blur ──► JPEG            and, from the same homographies, the GT quads
 *
 * Each image has its own random stream (derived from seed, preset and index), so images can be
 * rendered in any order or in parallel and still come out byte-identical.
 */
import sharp from 'sharp';
import type { Polygon } from '../../core';
import type { GtBox } from '../types';
import { renderMasks } from './atlas';
import { backgroundSvg, type Panel } from './background';
import { addNoise, applyLighting, drawMask, luminance, meanColorIn, type Canvas, type Rgb } from './canvas';
import type { FoundFamily } from './fonts';
import { apply, boundsOf, quadHeight, rectQuad, type Box, type Mat3 } from './geometry';
import { createRng, hash32, type Rng } from './prng';
import type { SceneKind, SynthPreset } from './presets';
import { dontCareHeight, placeGroups, planScene } from './scene';

export interface SynthImage {
  jpeg: Buffer;
  width: number;
  height: number;
  kind: SceneKind;
  boxes: GtBox[];
}

/** Long side (pixels) at which the preset's blur sigma applies as given. */
const BLUR_REFERENCE = 960;

/** Mask-pixel slack around the ink box before mapping it: exactly the bilinear sampling footprint. */
const GT_SLACK = 0.5;

function imageSize(rng: Rng, preset: SynthPreset): { width: number; height: number } {
  const long = Math.round(rng.logUniform(preset.longSide[0], preset.longSide[1]));
  const [a, b] = rng.weighted(preset.aspects).split(':').map(Number);
  const short = Math.max(64, Math.round((long * b) / a));
  return rng.chance(preset.portrait) ? { width: short, height: long } : { width: long, height: short };
}

/** A text colour whose luminance differs from `bg` by about `delta` grey levels. */
function contrastColor(rng: Rng, bg: Rgb, delta: number): Rgb {
  const lb = luminance(bg);
  const up = lb + delta <= 255;
  const down = lb - delta >= 0;
  const target = up && down ? (rng.chance(0.5) ? lb + delta : lb - delta) : up ? lb + delta : down ? lb - delta : lb > 127 ? 0 : 255;
  const sat = rng.uniform(0, 110);
  const c: Rgb = [rng.uniform(-sat, sat), rng.uniform(-sat, sat), rng.uniform(-sat, sat)];
  const shift = target - luminance(c);
  return c.map((v) => Math.max(0, Math.min(255, Math.round(v + shift)))) as Rgb;
}

/** The ink box (mask or group coordinates), padded by GT_SLACK, mapped into the image. */
function floatQuad(toImage: Mat3, ink: Box): Polygon {
  return rectQuad(ink.x0 - GT_SLACK, ink.y0 - GT_SLACK, ink.x1 + GT_SLACK, ink.y1 + GT_SLACK).map((p) => apply(toImage, p));
}

/** The integer ground-truth quad of ink box `ink` drawn through `toImage` (before clipping to the image). */
export function groundTruthQuad(toImage: Mat3, ink: Box): Polygon {
  return roundOutward(floatQuad(toImage, ink));
}

/**
 * Moves every edge of a convex quad outward by `d` pixels (parallel offset) and rounds the new
 * vertices to integers. With d > sqrt(2)/2 the rounding cannot bring an edge back inside the
 * original quad, which per-axis "round away from the centre" does not guarantee on rotated quads.
 */
function roundOutward(q: Polygon, d = 0.75): Polygon {
  let area2 = 0;
  for (let i = 0; i < q.length; i++) {
    const a = q[i];
    const b = q[(i + 1) % q.length];
    area2 += a[0] * b[1] - b[0] * a[1];
  }
  const sign = area2 >= 0 ? 1 : -1;
  const lines = q.map((a, i) => {
    const b = q[(i + 1) % q.length];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    // Outward normal for this orientation, then the offset line through a + n*d with direction b - a.
    const n: [number, number] = [(sign * (b[1] - a[1])) / len, (-sign * (b[0] - a[0])) / len];
    return { p: [a[0] + n[0] * d, a[1] + n[1] * d] as [number, number], dir: [b[0] - a[0], b[1] - a[1]] as [number, number] };
  });
  return q.map((v, i) => {
    const l1 = lines[(i + q.length - 1) % q.length];
    const l2 = lines[i];
    const den = l1.dir[0] * l2.dir[1] - l1.dir[1] * l2.dir[0];
    if (Math.abs(den) < 1e-9) return [Math.round(v[0]), Math.round(v[1])];
    const t = ((l2.p[0] - l1.p[0]) * l2.dir[1] - (l2.p[1] - l1.p[1]) * l2.dir[0]) / den;
    return [Math.round(l1.p[0] + l1.dir[0] * t), Math.round(l1.p[1] + l1.dir[1] * t)];
  });
}

/** Centre and radius of a glare spot on a random point of one of `outlines`. */
function glareSpot(rng: Rng, outlines: Polygon[], width: number, height: number): { gx: number; gy: number; gr: number } {
  const gr = rng.uniform(0.04, 0.15) * Math.max(width, height);
  if (outlines.length === 0) return { gx: width / 2, gy: height / 2, gr };
  const b = boundsOf(rng.pick(outlines));
  return { gx: rng.uniform(b.x0, b.x1), gy: rng.uniform(b.y0, b.y1), gr };
}

export async function renderSynthImage(
  seed: number,
  presetName: string,
  preset: SynthPreset,
  index: number,
  substitute: (family: string) => FoundFamily,
): Promise<SynthImage> {
  const rng = createRng(hash32(`${seed}/${presetName}/${index}`));
  const { width, height } = imageSize(rng, preset);
  const plan = planScene(rng.fork('plan'), preset, width, height, substitute);
  const masks = await renderMasks(plan.words);
  const groups = placeGroups(rng.fork('place'), plan, masks, width, height);

  const panels: Panel[] = groups
    .filter((g) => g.spec.panel)
    .map((g) => ({ outline: g.outline, kind: g.spec.layout === 'block' ? 'paper' : 'sign' }));
  const layers = backgroundSvg(rng.fork('background'), preset, width, height, panels, groups.map((g) => g.outline));
  // Each SVG is rasterised on its own first: composited directly, libvips would re-render the
  // whole SVG for every tile it pulls.
  const [lowSmall, high] = await Promise.all([
    sharp(Buffer.from(layers.low)).removeAlpha().raw().toBuffer(),
    sharp(Buffer.from(layers.high)).raw().toBuffer(),
  ]);
  const bg = await sharp(lowSmall, { raw: { width: layers.lowWidth, height: layers.lowHeight, channels: 3 } })
    .resize(width, height, { kernel: 'cubic' })
    .composite([{ input: high, raw: { width, height, channels: 4 }, top: 0, left: 0 }])
    .removeAlpha()
    .raw()
    .toBuffer();
  const canvas: Canvas = { width, height, data: new Uint8Array(bg.buffer, bg.byteOffset, bg.length) };

  const ink = rng.fork('ink');
  const boxes: GtBox[] = [];
  const minHeight = dontCareHeight(preset, width, height);
  const addBox = (toImage: Mat3, b: Box, text: string): void => {
    const quad = floatQuad(toImage, b);
    const q = boundsOf(quad);
    if (q.x1 <= 0 || q.y1 <= 0 || q.x0 >= width || q.y0 >= height) return; // entirely off the image: nothing drawn
    const clipped = q.x0 < 0 || q.y0 < 0 || q.x1 > width || q.y1 > height;
    const small = quadHeight(quad) - 2 * GT_SLACK < minHeight;
    const points = roundOutward(quad).map(([x, y]) => [
      Math.max(0, Math.min(width, x)),
      Math.max(0, Math.min(height, y)),
    ]) as Polygon;
    const dontCare = clipped || small;
    boxes.push({ points, text: dontCare ? '###' : text, dontCare });
  };
  for (const g of groups) {
    const bgColor = meanColorIn(canvas, g.outline);
    const [lo, hi] = preset.lowContrastDelta;
    // A faded paragraph keeps a little more contrast than a faded word: its many small letters blur together sooner.
    const low = g.spec.layout === 'block' ? ink.uniform(lo + 20, hi + 25) : ink.uniform(lo, hi);
    const delta = g.spec.lowContrast ? low : ink.uniform(70, 200);
    const color = contrastColor(ink, bgColor, delta);
    const opacity = ink.uniform(0.85, 1);
    for (const w of g.words) drawMask(canvas, masks[w.index], w.toImage, color, opacity);
    if (g.spec.layout === 'block') {
      // Paragraph text is labelled per line, as document sets (SROIE, FUNSD lines) do: running
      // text has 0.3 em word gaps that any line detector bridges.
      const lines = new Map<number, { box: Box; words: string[] }>();
      for (const w of g.words) {
        const m = masks[w.index];
        const b: Box = { x0: w.x + m.ink.x0, y0: w.y + m.ink.y0, x1: w.x + m.ink.x1, y1: w.y + m.ink.y1 };
        const l = lines.get(w.line);
        if (!l) lines.set(w.line, { box: b, words: [plan.words[w.index].text] });
        else {
          l.box = { x0: Math.min(l.box.x0, b.x0), y0: Math.min(l.box.y0, b.y0), x1: Math.max(l.box.x1, b.x1), y1: Math.max(l.box.y1, b.y1) };
          l.words.push(plan.words[w.index].text);
        }
      }
      for (const l of lines.values()) addBox(g.toImage, l.box, l.words.join(' '));
    } else {
      for (const w of g.words) addBox(w.toImage, masks[w.index].ink, plan.words[w.index].text);
    }
  }

  const fx = rng.fork('effects');
  if (fx.chance(preset.lightingShare)) {
    applyLighting(canvas, {
      falloff: fx.uniform(0.1, 0.5),
      angle: fx.uniform(0, 2 * Math.PI),
      shadow: fx.chance(0.5) ? fx.uniform(0.3, 0.65) : 0,
      shadowAngle: fx.uniform(0, 2 * Math.PI),
      sx: fx.uniform(0.2, 0.8) * width,
      sy: fx.uniform(0.2, 0.8) * height,
      softness: fx.logUniform(2, Math.max(3, Math.min(width, height) / 8)),
      // Glare sits on one of the text groups (a glossy sign or page), where it matters.
      glare: fx.chance(0.5) && groups.length > 0 ? fx.uniform(0.4, 0.85) : 0,
      ...glareSpot(fx, groups.map((g) => g.outline), width, height),
    });
  }
  addNoise(canvas, fx.uniform(0, preset.maxNoise), fx.int(1, 0x7fffffff));
  let img = sharp(Buffer.from(canvas.data.buffer, canvas.data.byteOffset, canvas.data.length), {
    raw: { width, height, channels: 3 },
  });
  if (fx.chance(preset.blurShare)) {
    // Sigma is given at the detector's usual 960 px working size: 1 px of blur on a 2400 px photo
    // vanishes once it is scaled down, so it scales with the image.
    const sigma = fx.uniform(0.3, preset.maxBlur) * Math.max(1, Math.max(width, height) / BLUR_REFERENCE);
    img = img.blur(Math.max(0.3, sigma));
  }
  const quality = fx.int(preset.jpegQuality[0], preset.jpegQuality[1]);
  const jpeg = await img.jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
  return { jpeg, width, height, kind: plan.kind, boxes };
}
