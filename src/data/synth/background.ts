/**
 * Backgrounds as one SVG per image, rasterised by sharp (librsvg): a gradient, a procedural
 * texture (feTurbulence), photo-like clutter (shapes, strokes, blurred blobs in varied colours)
 * and the panels that signs and documents sit on.
 */
import type { Polygon } from '../../core';
import { boundsOf, boxesOverlap, type Box } from './geometry';
import type { Rng } from './prng';
import type { SynthPreset } from './presets';

export interface Panel {
  outline: Polygon;
  kind: 'sign' | 'paper' | 'tint';
}

function hex(rng: Rng, lo = 0, hi = 255): string {
  const c = () => rng.int(lo, hi).toString(16).padStart(2, '0');
  return `#${c()}${c()}${c()}`;
}

/** A colour near grey `level` with a random tint of up to `tint` levels per channel. */
function tinted(rng: Rng, level: number, tint: number): string {
  const c = () => Math.max(0, Math.min(255, Math.round(level + rng.uniform(-tint, tint)))).toString(16).padStart(2, '0');
  return `#${c()}${c()}${c()}`;
}

const f1 = (v: number) => v.toFixed(1);

function points(poly: Polygon): string {
  return poly.map(([x, y]) => `${f1(x)},${f1(y)}`).join(' ');
}

function clutterShape(rng: Rng, w: number, h: number, blurred: boolean): string {
  const fill = hex(rng);
  const op = rng.uniform(0.15, 0.9).toFixed(2);
  const filter = blurred ? ' filter="url(#soft)"' : '';
  const x = rng.uniform(-0.1, 1.1) * w;
  const y = rng.uniform(-0.1, 1.1) * h;
  const s = rng.logUniform(0.02, 0.5) * Math.max(w, h);
  switch (rng.weighted({ rect: 3, circle: 2, ellipse: 2, line: 3, blob: 3, poly: 2 })) {
    case 'rect':
      return `<rect x="${f1(x)}" y="${f1(y)}" width="${f1(s)}" height="${f1(s * rng.uniform(0.2, 2))}" fill="${fill}" opacity="${op}" transform="rotate(${f1(rng.uniform(-30, 30))} ${f1(x)} ${f1(y)})"${filter}/>`;
    case 'circle':
      return `<circle cx="${f1(x)}" cy="${f1(y)}" r="${f1(s / 2)}" fill="${fill}" opacity="${op}"${filter}/>`;
    case 'ellipse':
      return `<ellipse cx="${f1(x)}" cy="${f1(y)}" rx="${f1(s / 2)}" ry="${f1((s / 2) * rng.uniform(0.2, 1))}" fill="${fill}" opacity="${op}" transform="rotate(${f1(rng.uniform(0, 180))} ${f1(x)} ${f1(y)})"${filter}/>`;
    case 'line': {
      const a = rng.uniform(0, Math.PI);
      const len = s * rng.uniform(1, 4);
      return `<line x1="${f1(x)}" y1="${f1(y)}" x2="${f1(x + Math.cos(a) * len)}" y2="${f1(y + Math.sin(a) * len)}" stroke="${fill}" stroke-width="${f1(rng.logUniform(1, 14))}" opacity="${op}"/>`;
    }
    case 'blob': {
      const n = rng.int(4, 7);
      const pts: string[] = [];
      for (let i = 0; i < n; i++) {
        const a = (i / n) * 2 * Math.PI;
        const r = (s / 2) * rng.uniform(0.5, 1.2);
        pts.push(`${f1(x + Math.cos(a) * r)},${f1(y + Math.sin(a) * r)}`);
      }
      // Quadratic curves through midpoints give a smooth closed blob.
      const p = pts.map((q) => q.split(',').map(Number));
      const mid = (i: number) => {
        const a2 = p[i % n];
        const b2 = p[(i + 1) % n];
        return `${f1((a2[0] + b2[0]) / 2)},${f1((a2[1] + b2[1]) / 2)}`;
      };
      let d = `M${mid(0)}`;
      for (let i = 1; i <= n; i++) d += ` Q${pts[i % n]} ${mid(i)}`;
      return `<path d="${d} Z" fill="${fill}" opacity="${op}"${filter}/>`;
    }
    default: {
      const n = rng.int(3, 6);
      const pts: string[] = [];
      for (let i = 0; i < n; i++) pts.push(`${f1(x + rng.uniform(-s, s))},${f1(y + rng.uniform(-s, s))}`);
      return `<polygon points="${pts.join(' ')}" fill="${fill}" opacity="${op}"${filter}/>`;
    }
  }
}

/**
 * One glyph-like mark in a cell of height 1 (scaled by the caller): one to three strokes (bars,
 * bows, rings, dots) of the kind letters are made of, but spelling nothing.
 */
function pseudoGlyph(rng: Rng, x: number, w: number): string {
  const parts: string[] = [];
  for (let k = rng.int(1, 3); k > 0; k--) {
    switch (rng.weighted({ bar: 4, cross: 2, diag: 2, bow: 3, ring: 2, dot: 1 })) {
      case 'bar': {
        const u = x + rng.uniform(0, w);
        parts.push(`M${u.toFixed(2)} ${rng.uniform(0, 0.3).toFixed(2)}V${rng.uniform(0.7, 1).toFixed(2)}`);
        break;
      }
      case 'cross': {
        const v = rng.pick([0.05, 0.5, 0.95]);
        parts.push(`M${x.toFixed(2)} ${v}H${(x + w).toFixed(2)}`);
        break;
      }
      case 'diag':
        parts.push(`M${x.toFixed(2)} ${rng.chance(0.5) ? 1 : 0}L${(x + w).toFixed(2)} ${rng.chance(0.5) ? 0 : 1}`);
        break;
      case 'bow': {
        const top = rng.uniform(0, 0.5);
        parts.push(`M${x.toFixed(2)} ${top.toFixed(2)}Q${(x + w * rng.uniform(0, 2)).toFixed(2)} ${((top + 1) / 2).toFixed(2)} ${x.toFixed(2)} 1`);
        break;
      }
      case 'ring': {
        const r = w / 2;
        parts.push(`M${x.toFixed(2)} ${(1 - r).toFixed(2)}a${r.toFixed(2)} ${r.toFixed(2)} 0 1 0 ${w.toFixed(2)} 0a${r.toFixed(2)} ${r.toFixed(2)} 0 1 0 ${(-w).toFixed(2)} 0`);
        break;
      }
      default: {
        const u = x + w / 2;
        parts.push(`M${u.toFixed(2)} 0.9v0.05`);
      }
    }
  }
  return parts.join('');
}

/**
 * Text-like clutter that carries no label, as real scenes have: a barcode or railing (parallel
 * bars) or a row of glyph-like marks (ornaments, logos, scripts the set does not transcribe).
 * Detectors fire on them; they are what false positives look like. Kept off the text groups.
 */
function textLikeShape(rng: Rng, w: number, h: number, avoid: Box[]): string | undefined {
  const short = Math.min(w, h);
  const size = rng.logUniform(Math.max(10, Math.max(w, h) * 0.012), Math.max(14, short / 7));
  const stripes = rng.chance(0.4);
  const n = stripes ? rng.int(6, 30) : rng.int(3, 10);
  const pitch = stripes ? size * rng.uniform(0.12, 0.5) : size * rng.uniform(0.6, 1.1);
  const len = n * pitch;
  const angle = rng.chance(0.5) ? rng.uniform(-4, 4) : rng.uniform(-45, 45);
  const a = (angle * Math.PI) / 180;
  // Extent of the rotated row, for the overlap test.
  const ex = (Math.abs(Math.cos(a)) * len + Math.abs(Math.sin(a)) * size) / 2;
  const ey = (Math.abs(Math.sin(a)) * len + Math.abs(Math.cos(a)) * size) / 2;
  const colour = hex(rng);
  const op = rng.uniform(0.5, 1).toFixed(2);
  for (let attempt = 0; attempt < 10; attempt++) {
    const cx = rng.uniform(ex, Math.max(ex + 1, w - ex));
    const cy = rng.uniform(ey, Math.max(ey + 1, h - ey));
    const box: Box = { x0: cx - ex, y0: cy - ey, x1: cx + ex, y1: cy + ey };
    if (avoid.some((b) => boxesOverlap(b, box, size * 0.3))) continue;
    const tf = `translate(${f1(cx)} ${f1(cy)}) rotate(${f1(angle)}) translate(${f1(-len / 2)} ${f1(-size / 2)})`;
    if (stripes) {
      let d = '';
      for (let i = 0, x = 0; i < n; i++, x += pitch) {
        const bw = pitch * rng.uniform(0.2, 0.7);
        d += `M${f1(x)} 0h${f1(bw)}v${f1(size)}h${f1(-bw)}Z`;
      }
      return `<path d="${d}" fill="${colour}" opacity="${op}" transform="${tf}"/>`;
    }
    let d = '';
    for (let i = 0; i < n; i++) d += pseudoGlyph(rng, i * (pitch / size), (pitch / size) * rng.uniform(0.5, 0.75));
    const sw = rng.uniform(0.08, 0.16).toFixed(3);
    return `<g transform="${tf} scale(${size.toFixed(2)})"><path d="${d}" fill="none" stroke="${colour}" stroke-width="${sw}" stroke-linecap="round" opacity="${op}"/></g>`;
  }
  return undefined;
}

/** The background SVG for one image. */
export interface BackgroundSvgs {
  /** Gradient, texture and blurred blobs, drawn at `scale` of the image size (cheap, and soft anyway). */
  low: string;
  lowWidth: number;
  lowHeight: number;
  /** Sharp-edged clutter and the panels, at full size, drawn over the upscaled `low` layer. */
  high: string;
}

/** Resolution of the soft background layer relative to the image: feTurbulence and large blurs cost seconds at full size. */
export const LOW_SCALE = 1 / 4;

/** The background layers for one image. */
export function backgroundSvg(
  rng: Rng,
  preset: SynthPreset,
  width: number,
  height: number,
  panels: Panel[],
  occupied: Polygon[],
): BackgroundSvgs {
  const lw = Math.max(8, Math.round(width * LOW_SCALE));
  const lh = Math.max(8, Math.round(height * LOW_SCALE));
  const parts: string[] = [];
  const high: string[] = [];
  const light = rng.chance(0.55);
  const base = light ? rng.uniform(150, 245) : rng.uniform(20, 140);
  const a = rng.uniform(0, 360);
  parts.push(
    '<defs>',
    `<linearGradient id="g" gradientTransform="rotate(${f1(a)} 0.5 0.5)">` +
      `<stop offset="0" stop-color="${tinted(rng, base, 50)}"/>` +
      `<stop offset="${rng.uniform(0.3, 0.7).toFixed(2)}" stop-color="${tinted(rng, base + rng.uniform(-50, 50), 60)}"/>` +
      `<stop offset="1" stop-color="${tinted(rng, base, 70)}"/></linearGradient>`,
    `<filter id="tex" x="0" y="0" width="100%" height="100%"><feTurbulence type="${rng.chance(0.5) ? 'fractalNoise' : 'turbulence'}" ` +
      `baseFrequency="${(rng.logUniform(0.004, 0.08) / LOW_SCALE).toFixed(4)}" numOctaves="${rng.int(1, 3)}" seed="${rng.int(0, 9999)}"/>` +
      '<feColorMatrix type="saturate" values="0.3"/></filter>',
    `<filter id="soft"><feGaussianBlur stdDeviation="${f1(rng.uniform(2, Math.max(3, Math.min(width, height) / 60)))}"/></filter>`,
    '</defs>',
    `<rect width="${lw}" height="${lh}" fill="url(#g)"/>`,
  );
  if (rng.chance(0.8)) parts.push(`<rect width="${lw}" height="${lh}" filter="url(#tex)" opacity="${rng.uniform(0.1, 0.5).toFixed(2)}"/>`);
  const n = rng.int(preset.clutter[0], preset.clutter[1]);
  for (let i = 0; i < n; i++) {
    const blurred = rng.chance(0.35);
    const shape = clutterShape(rng, width, height, blurred);
    // Blurred shapes go to the soft layer (scaled down with it); crisp ones stay full size.
    if (blurred) parts.push(`<g transform="scale(${LOW_SCALE})">${shape}</g>`);
    else high.push(shape);
  }
  const avoid = occupied.map(boundsOf);
  for (let i = rng.int(preset.textLikeClutter[0], preset.textLikeClutter[1]); i > 0; i--) {
    const shape = textLikeShape(rng, width, height, avoid);
    if (shape) high.push(shape);
  }
  for (const p of panels) {
    const fill =
      p.kind === 'paper' ? tinted(rng, rng.uniform(215, 250), 8) : p.kind === 'sign' ? hex(rng, 0, 255) : tinted(rng, base, 25);
    const stroke = p.kind === 'sign' && rng.chance(0.5) ? ` stroke="${hex(rng)}" stroke-width="${f1(rng.uniform(2, 8))}"` : '';
    high.push(`<polygon points="${points(p.outline)}" fill="${fill}"${stroke}/>`);
  }
  const svg = (w: number, h: number, body: string[]) => `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${body.join('')}</svg>`;
  return { low: svg(lw, lh, parts), lowWidth: lw, lowHeight: lh, high: svg(width, height, high) };
}
