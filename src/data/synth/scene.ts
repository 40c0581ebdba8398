/**
 * Scene planning: what text an image holds (groups of words: lines, paragraphs, stacked
 * vertical words), in which fonts and sizes (phase 1, before rendering), and where each group
 * goes, through which transform (phase 2, once the rendered ink sizes are known). All choices
 * come from the image's own seeded stream.
 */
import type { Polygon } from '../../core';
import type { WordMask, WordStyle } from './atlas';
import type { FoundFamily } from './fonts';
import {
  apply, boundsOf, fromQuads, multiply, rectQuad, rotate, translate, type Box, type Mat3,
} from './geometry';
import type { Rng } from './prng';
import type { SceneKind, SynthPreset } from './presets';
import { randomWord } from './words';

export interface GroupSpec {
  layout: 'line' | 'block' | 'stacked';
  /** Indices into the image's word list. */
  words: number[];
  size: number;
  /** Gap between words in em. */
  spacing: number;
  /** Block only: line pitch in em and wrap width in pixels. */
  lineHeight: number;
  wrapWidth: number;
  angleDeg: number;
  /** Perspective: the far side's length relative to the near side (1 = none), and which side. */
  tilt: number;
  tiltSide: 'left' | 'right' | 'top' | 'bottom';
  panel: boolean;
  lowContrast: boolean;
  allowClip: boolean;
}

export interface Plan {
  kind: SceneKind;
  words: WordStyle[];
  groups: GroupSpec[];
}

export interface PlacedWord {
  index: number;
  /** Mask pixel coordinates -> image coordinates. */
  toImage: Mat3;
  /** Line of the group the word sits on (always 0 outside blocks). */
  line: number;
  /** Offset of the word's mask origin in group coordinates. */
  x: number;
  y: number;
}

export interface PlacedGroup {
  spec: GroupSpec;
  /** Outline of the group (padded) in image coordinates: where its panel goes. */
  outline: Polygon;
  /** Group coordinates -> image coordinates. */
  toImage: Mat3;
  words: PlacedWord[];
}

/** Text height (pixels) below which a word is don't-care in an image of this size. */
export function dontCareHeight(preset: SynthPreset, width: number, height: number): number {
  return Math.max(preset.dontCareBelow, Math.max(width, height) * preset.dontCareBelowRel);
}

/**
 * Font size whose ink is `factor` times the don't-care height: cap and ascender height is about
 * 0.72 em in the pinned families, so small words land just above the readability limit.
 */
function smallSize(rng: Rng, preset: SynthPreset, width: number, height: number): number {
  return (dontCareHeight(preset, width, height) * rng.uniform(1.05, 1.9)) / 0.72;
}

function styleFor(rng: Rng, preset: SynthPreset, substitute: (f: string) => FoundFamily) {
  const family = substitute(rng.pick(preset.families)).family;
  return { family, bold: rng.chance(0.35), italic: rng.chance(0.15) };
}

function angleFor(rng: Rng, preset: SynthPreset, limit = preset.maxAngle): number {
  return rng.chance(preset.horizontalShare) ? rng.uniform(-3, 3) : rng.uniform(-limit, limit);
}

function baseGroup(rng: Rng, preset: SynthPreset, size: number): GroupSpec {
  const tilted = rng.chance(preset.perspectiveShare);
  return {
    layout: 'line',
    words: [],
    size: Math.round(size),
    // Words of a scene line stand well apart (as on shop fronts and signs): with the 0.3 em gaps of
    // running text a line detector rightly sees one line, and word-level ground truth would not match it.
    spacing: rng.uniform(1.3, 2.4),
    lineHeight: 1.5,
    wrapWidth: 0,
    angleDeg: angleFor(rng, preset),
    tilt: tilted ? rng.uniform(0.5, 0.9) : 1,
    tiltSide: rng.pick(['left', 'right', 'top', 'bottom'] as const),
    panel: false,
    lowContrast: rng.chance(preset.lowContrastShare),
    allowClip: rng.chance(preset.clipShare),
  };
}

/** Phase 1: the words, their styles and their grouping. */
export function planScene(
  rng: Rng,
  preset: SynthPreset,
  width: number,
  height: number,
  substitute: (f: string) => FoundFamily,
): Plan {
  const kind = rng.weighted(preset.kinds);
  const short = Math.min(width, height);
  const words: WordStyle[] = [];
  const groups: GroupSpec[] = [];
  const addLine = (size: number, count: number, textStyle: 'sign' | 'mixed' | 'document', extra: Partial<GroupSpec> = {}) => {
    const g = { ...baseGroup(rng, preset, size), ...extra };
    const st = styleFor(rng, preset, substitute);
    const vertical = rng.chance(preset.verticalShare) && g.layout === 'line';
    if (vertical && rng.chance(0.5)) {
      g.layout = 'stacked';
      g.angleDeg = rng.uniform(-4, 4);
      count = 1;
    } else if (vertical) {
      g.angleDeg = (rng.chance(0.5) ? 90 : -90) + rng.uniform(-4, 4);
    }
    for (let i = 0; i < count; i++) {
      let text = randomWord(rng, textStyle);
      if (g.layout === 'stacked') text = text.toUpperCase().slice(0, 7);
      g.words.push(words.length);
      words.push({ text, size: g.size, stacked: g.layout === 'stacked', ...st });
    }
    groups.push(g);
  };

  if (kind === 'document') {
    // Small, but above the don't-care height so the paragraph counts.
    const size = Math.max(10, Math.max(width, height) * 0.0095) * rng.uniform(1.05, 1.5);
    const g = { ...baseGroup(rng, preset, size), layout: 'block' as const, panel: true };
    // Pages photographed by hand: often square-on, sometimes turned or seen at an angle (tilt from baseGroup).
    g.angleDeg = rng.chance(0.5) ? rng.uniform(-2, 2) : rng.uniform(-15, 15);
    g.lineHeight = rng.uniform(1.35, 1.9);
    g.spacing = rng.uniform(0.3, 0.6);
    g.allowClip = false;
    // Faded print and thermal receipts.
    g.lowContrast = rng.chance(preset.lowContrastShare);
    g.wrapWidth = Math.round(rng.uniform(0.45, 0.85) * width);
    const maxLines = Math.max(3, Math.floor((0.8 * height) / (g.size * g.lineHeight)));
    const lines = rng.int(Math.min(4, maxLines), Math.min(14, maxLines));
    const perLine = Math.max(2, Math.round(g.wrapWidth / (g.size * 4.6)));
    const st = styleFor(rng, preset, substitute);
    for (let i = 0; i < lines * perLine; i++) {
      g.words.push(words.length);
      words.push({ text: randomWord(rng, 'document'), size: g.size, stacked: false, ...st });
    }
    groups.push(g);
    if (rng.chance(0.6)) addLine(size * rng.uniform(1.8, 3), rng.int(1, 3), 'mixed', { angleDeg: g.angleDeg, tilt: 1 });
    for (let i = rng.int(0, 2); i > 0; i--) addLine(rng.logUniform(14, Math.max(16, short / 8)), rng.int(1, 3), 'mixed');
  } else if (kind === 'sign') {
    const n = rng.int(1, 4);
    for (let i = 0; i < n; i++) {
      const size = rng.logUniform(Math.min(40, short / 10), Math.max(50, Math.min(200, short / 4)));
      addLine(size, rng.int(1, 2), 'sign', { panel: rng.chance(0.8), angleDeg: angleFor(rng, preset, 25) });
    }
    for (let i = rng.int(0, 3); i > 0; i--) addLine(rng.logUniform(12, Math.max(14, short / 12)), rng.int(1, 3), 'mixed');
  } else {
    const n = rng.int(3, 10);
    for (let i = 0; i < n; i++) {
      const size = rng.logUniform(Math.max(11, Math.max(width, height) * 0.007), Math.max(24, Math.min(140, short / 5)));
      addLine(size, rng.pick([1, 1, 1, 2, 2, 3]), 'mixed', { panel: rng.chance(0.15) });
    }
  }
  if (kind === 'scene' && rng.chance(preset.denseShare)) {
    // A notice, menu or poster: dense small lines straight on the scene, labelled per line like documents.
    const g = { ...baseGroup(rng, preset, smallSize(rng, preset, width, height) * rng.uniform(1, 1.3)), layout: 'block' as const };
    g.angleDeg = angleFor(rng, preset, 30);
    g.lineHeight = rng.uniform(1.2, 1.6);
    // Ordinary word spaces: the detector should see lines, as the per-line labels say.
    g.spacing = rng.uniform(0.25, 0.38);
    g.allowClip = false;
    g.wrapWidth = Math.round(rng.uniform(0.25, 0.5) * width);
    const lines = rng.int(3, 10);
    const perLine = Math.max(2, Math.round(g.wrapWidth / (g.size * 4.6)));
    const st = styleFor(rng, preset, substitute);
    for (let i = 0; i < lines * perLine; i++) {
      g.words.push(words.length);
      words.push({ text: randomWord(rng, 'document'), size: g.size, stacked: false, ...st });
    }
    groups.push(g);
  }
  if (kind !== 'document') {
    // Small text near the readability limit: labels, plates, captions.
    for (let i = rng.int(preset.smallLines[0], preset.smallLines[1]); i > 0; i--) {
      addLine(smallSize(rng, preset, width, height), rng.int(1, 3), 'mixed');
    }
  }
  return { kind, words, groups };
}

interface LocalLayout {
  width: number;
  height: number;
  /** Offset of each word's mask origin in group coordinates. */
  offsets: { index: number; x: number; y: number; line: number }[];
}

/** Lays the words of a group out in its own coordinates, aligned on shared baselines. */
function layoutGroup(g: GroupSpec, masks: WordMask[], maxWidth: number): LocalLayout {
  const gap = g.spacing * g.size;
  const pitch = g.lineHeight * g.size;
  const limit = g.layout === 'block' ? g.wrapWidth : maxWidth;
  const maxLines = g.layout === 'block' ? Infinity : 1;
  const offsets: LocalLayout['offsets'] = [];
  let x = 0;
  let line = 0;
  let minTop = Infinity;
  let maxBottom = -Infinity;
  let width = 0;
  for (const index of g.words) {
    const m = masks[index];
    const inkW = m.ink.x1 - m.ink.x0;
    if (x > 0 && x + inkW > limit) {
      line++;
      x = 0;
      if (line >= maxLines) break;
    }
    if (x === 0 && inkW > limit) break;
    const baseline = line * pitch;
    const ox = x - m.ink.x0;
    const oy = g.layout === 'stacked' ? -m.ink.y0 : baseline - m.baseline;
    offsets.push({ index, x: ox, y: oy, line });
    minTop = Math.min(minTop, oy + m.ink.y0);
    maxBottom = Math.max(maxBottom, oy + m.ink.y1);
    x += inkW + gap;
    width = Math.max(width, x - gap);
  }
  if (offsets.length === 0) return { width: 0, height: 0, offsets };
  for (const o of offsets) o.y -= minTop;
  return { width, height: maxBottom - minTop, offsets };
}

function perspective(g: GroupSpec, w: number, h: number): Mat3 {
  const src = rectQuad(0, 0, w, h);
  if (g.tilt >= 1) return fromQuads(src, src);
  // A long line seen at an angle: keep the far end's foreshortening moderate by scaling the
  // side ratio with the line's aspect, or the far words collapse into slivers.
  // Seen from above or below (top/bottom), the line's ends shear by w(1 - k) / 2 over its height h:
  // keep that shear under about 30 degrees, or the end words turn into slivers.
  const side = g.tiltSide === 'left' || g.tiltSide === 'right';
  const aspect = side ? w / Math.max(1, h) : h / Math.max(1, w);
  const k = side
    ? 1 - (1 - g.tilt) * Math.min(1, 4 / Math.max(1, aspect))
    : 1 - (1 - g.tilt) * Math.min(1, (2.3 * h) / Math.max(1, w));
  const dst = rectQuad(0, 0, w, h);
  if (g.tiltSide === 'left' || g.tiltSide === 'right') {
    const [a, b] = g.tiltSide === 'left' ? [0, 3] : [1, 2];
    dst[a] = [dst[a][0], (h * (1 - k)) / 2];
    dst[b] = [dst[b][0], h - (h * (1 - k)) / 2];
  } else {
    const [a, b] = g.tiltSide === 'top' ? [0, 1] : [3, 2];
    dst[a] = [(w * (1 - k)) / 2, dst[a][1]];
    dst[b] = [w - (w * (1 - k)) / 2, dst[b][1]];
  }
  return fromQuads(src, dst);
}

/** Separating-axis test for two convex polygons. */
function convexOverlap(a: Polygon, b: Polygon): boolean {
  for (const poly of [a, b]) {
    for (let i = 0; i < poly.length; i++) {
      const p = poly[i];
      const q = poly[(i + 1) % poly.length];
      const nx = q[1] - p[1];
      const ny = p[0] - q[0];
      let amin = Infinity, amax = -Infinity, bmin = Infinity, bmax = -Infinity;
      for (const v of a) {
        const d = v[0] * nx + v[1] * ny;
        amin = Math.min(amin, d);
        amax = Math.max(amax, d);
      }
      for (const v of b) {
        const d = v[0] * nx + v[1] * ny;
        bmin = Math.min(bmin, d);
        bmax = Math.max(bmax, d);
      }
      if (amax < bmin || bmax < amin) return false;
    }
  }
  return true;
}

function inside(b: Box, width: number, height: number): boolean {
  return b.x0 >= 1 && b.y0 >= 1 && b.x1 <= width - 1 && b.y1 <= height - 1;
}

/** Phase 2: positions every group that fits; groups that find no free place are left out. */
export function placeGroups(rng: Rng, plan: Plan, masks: WordMask[], width: number, height: number): PlacedGroup[] {
  const placed: PlacedGroup[] = [];
  for (const g of plan.groups) {
    const maxLen = (Math.abs(Math.sin((g.angleDeg * Math.PI) / 180)) > 0.7 ? height : width) * 0.92;
    const local = layoutGroup(g, masks, maxLen);
    if (local.offsets.length === 0) continue;
    const pad = g.size * (g.panel ? 0.6 : 0.35);
    const shape = multiply(rotate((g.angleDeg * Math.PI) / 180), perspective(g, local.width, local.height));
    const centred = multiply(shape, translate(-local.width / 2, -local.height / 2));
    const padded = rectQuad(-pad, -pad, local.width + pad, local.height + pad);
    const rel = padded.map((p) => apply(centred, p));
    const rb = boundsOf(rel);
    const bw = rb.x1 - rb.x0;
    const bh = rb.y1 - rb.y0;
    const slackX = g.allowClip ? bw * 0.4 : 0;
    const slackY = g.allowClip ? bh * 0.4 : 0;
    if (!g.allowClip && (bw > width - 2 || bh > height - 2)) continue;
    for (let attempt = 0; attempt < 40; attempt++) {
      const cx = rng.uniform(1 - rb.x0 - slackX, width - 1 - rb.x1 + slackX);
      const cy = rng.uniform(1 - rb.y0 - slackY, height - 1 - rb.y1 + slackY);
      const outline = rel.map(([x, y]) => [x + cx, y + cy] as [number, number]);
      if (!g.allowClip && !inside(boundsOf(outline), width, height)) continue;
      if (placed.some((p) => convexOverlap(p.outline, outline))) continue;
      const toGroup = multiply(translate(cx, cy), centred);
      placed.push({
        spec: g,
        outline,
        toImage: toGroup,
        words: local.offsets.map((o) => ({ ...o, toImage: multiply(toGroup, translate(o.x, o.y)) })),
      });
      break;
    }
  }
  return placed;
}
