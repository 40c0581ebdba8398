/**
 * Stage 2, shape profiles: the input shapes the engine will really see on the data (after resize
 * and rounding), one min/opt/max profile covering them, and k buckets that waste fewer padded
 * pixels — the design the blog's TensorRT engine lacked when it crashed on an unseen shape.
 */
import sharp from 'sharp';
import type { ImageSize } from '../core';
import type { ModelSpec } from '../models';
import { designBuckets, designProfile, profileChartSpec, profileRows, shapeDistribution, toTrtexecFlags, type Profile, type ProfileRow, type ShapeCount } from '../profiles';
import type { ReportBlock, VegaLiteSpec } from '../report';
import type { StoryItem } from './stage-run';

export interface ProfileDesign {
  distribution: ShapeCount[];
  single: Profile;
  buckets: Profile[];
  /** One row per profile: name, min/opt/max, images served, coverage and padding waste (the profiles stage's rows). */
  table: ProfileRow[];
  chart: VegaLiteSpec;
  trtexec: string;
}

async function sizeOf(item: StoryItem & { size?: ImageSize }): Promise<ImageSize> {
  if (item.size) return item.size;
  const m = await sharp(item.imagePath).metadata();
  // EXIF orientations 5-8 swap width and height.
  return (m.orientation ?? 1) >= 5 ? { width: m.height ?? 0, height: m.width ?? 0 } : { width: m.width ?? 0, height: m.height ?? 0 };
}

/** The dataset's shape distribution under `spec`'s resize policy, a single profile and `k` buckets. */
export async function designForDataset(items: readonly (StoryItem & { size?: ImageSize })[], spec: ModelSpec, k = 3): Promise<ProfileDesign> {
  const sizes: ImageSize[] = [];
  for (const it of items) sizes.push(await sizeOf(it));
  const distribution = shapeDistribution(sizes, spec.resize);
  const opts = { input: spec.input.name };
  const single = designProfile(distribution, opts);
  const buckets = designBuckets(distribution, { k: Math.min(k, distribution.length) }, opts);
  const all = [single, ...buckets];
  const table = profileRows(distribution, all, spec.input.name);
  return { distribution, single, buckets, table, chart: profileChartSpec(distribution, all, spec.input.name), trtexec: toTrtexecFlags(single) };
}

/** The stage's part of the story report. */
export function profileBlocks(d: ProfileDesign): ReportBlock[] {
  return [
    { kind: 'text', text: `${d.distribution.reduce((a, s) => a + s.count, 0)} images give ${d.distribution.length} distinct input shapes. A dynamic-shape engine needs every one inside its profile; buckets pad images up to a few fixed shapes instead.` },
    { kind: 'table', table: d.table, caption: 'Single profile and buckets (coverage = share of images served, waste = padded pixels / computed pixels)', csv: 'profiles', digits: 3 },
    { kind: 'chart', spec: d.chart, name: 'shapes', caption: 'Shape distribution and bucket shapes' },
    { kind: 'code', text: `trtexec ${d.trtexec}` },
  ];
}
