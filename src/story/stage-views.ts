/**
 * What a person looks at after the numbers: the worst images drawn with both engines' detections
 * (matched / missed / false coloured by the metric's own matches), and the probability-map
 * difference of the worst image as a heatmap.
 */
import * as clip from 'polygon-clipping';
import type { Polygon } from '../core';
import { decodeImage } from '../image';
import { Detector } from '../pipeline';
import { drawOverlay } from '../data';
import { probDiffHeatmap, type HeatmapResult } from '../report';
import { gtSamples, predSamples, score, type Comparison, type MetricName } from './stage-compare';
import type { EngineEntry, EngineRun, StoryItem } from './stage-run';

function ringArea(ring: readonly (readonly number[])[]): number {
  let a = 0;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % ring.length];
    a += p[0] * q[1] - q[0] * p[1];
  }
  return Math.abs(a) / 2;
}

function multiArea(mp: clip.MultiPolygon): number {
  return mp.reduce((sum, poly) => sum + poly.reduce((s, ring, k) => s + (k === 0 ? ringArea(ring) : -ringArea(ring)), 0), 0);
}

/**
 * Detections the metrics ignore: unmatched ones lying mostly (more than `overlap` of their area)
 * inside a don't-care region, as CLEval and the ICDAR protocol treat them. Drawn grey, not as false.
 */
export function ignoredDetections(gt: readonly { points: Polygon; dontCare: boolean }[], dets: readonly { points: Polygon }[], matched: ReadonlySet<number>, overlap = 0.5): number[] {
  const dc = gt.filter((g) => g.dontCare).map((g) => [g.points.map((p) => [p[0], p[1]] as [number, number])] as clip.Polygon);
  if (dc.length === 0) return [];
  const out: number[] = [];
  dets.forEach((d, i) => {
    if (matched.has(i)) return;
    const poly = [d.points.map((p) => [p[0], p[1]] as [number, number])] as clip.Polygon;
    const area = ringArea(poly[0]);
    if (area <= 0) return;
    if (dc.some((g) => multiArea(clip.intersection(poly, g)) / area > overlap)) out.push(i);
  });
  return out;
}

export interface ImageView {
  id: string;
  delta: number;
  reference: { png: Buffer; caption: string };
  candidate: { png: Buffer; caption: string };
}

/** Overlays of the `count` images whose HMean dropped most (only images that got worse). */
export async function worstImageViews(
  items: readonly StoryItem[],
  comparison: Comparison,
  runs: { reference: EngineRun; candidate: EngineRun },
  count = 3,
  maxSide = 900,
): Promise<ImageView[]> {
  const worst = comparison.perImage.filter((d) => d.delta < 0).slice(0, count);
  const views: ImageView[] = [];
  for (const w of worst) {
    const item = items.find((it) => it.id === w.image);
    if (!item) continue;
    const gt = gtSamples([item]);
    const side = async (run: EngineRun, hmean: number) => {
      const im = run.images.find((i) => i.id === w.image);
      const boxes = im?.boxes ?? [];
      const s = score(gt, predSamples({ ...run, images: im ? [im] : [] }), comparison.metric as MetricName).perImage.get(item.id);
      const matches = s?.matches ?? [];
      const ignored = ignoredDetections(item.boxes, boxes, new Set(matches.map((m) => m.det)));
      const png = await drawOverlay(item.imagePath, { gt: item.boxes, detections: boxes, matched: matches, ignoredDetections: ignored }, { maxSide });
      return { png, caption: `${item.id}: ${run.name}, HMean ${(hmean * 100).toFixed(1)}%, ${boxes.length} boxes` };
    };
    views.push({ id: item.id, delta: w.delta, reference: await side(runs.reference, w.refHmean), candidate: await side(runs.candidate, w.candHmean) });
  }
  return views;
}

/** Runs both engines on one image keeping their probability maps, and renders candidate − reference. */
export async function probMapDiff(imagePath: string, reference: EngineEntry, candidate: EngineEntry, model = 'ppocrv4-det', threads = 0): Promise<HeatmapResult> {
  const maps = [];
  const background = await decodeImage(imagePath);
  for (const e of [reference, candidate]) {
    const d = await Detector.create({ model, modelFile: e.modelFile, provider: e.provider, threads, keepProbMap: true });
    try {
      maps.push((await d.detect(imagePath)).probMap!);
    } finally {
      await d.dispose();
    }
  }
  return probDiffHeatmap(maps[0], maps[1], { background });
}
