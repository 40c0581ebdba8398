/**
 * Datasets stage: the generated default set, loaders for the standard formats, summaries and
 * overlays.
 *
 *   generateSynth ──► images/ + gt/ + manifest.json ─┐
 *   user folder or zip (ICDAR 2015/2013, Total-Text) ─┴─► loadDataset ──► Dataset
 *        ──► summarizeDataset / summaryFrame (notebooks, shape profiles)
 *        ──► drawOverlay (GT and detections over an image)
 */
export type { GtBox, DatasetItem, Dataset, DatasetFormat } from './types';
export { DATASET_FORMATS } from './types';
export { loadDataset, detectFormat, PARSERS, DEFAULT_LOAD_OPTIONS, type LoadOptions } from './load';
export { parseIcdar15 } from './icdar15';
export { parseIcdar13 } from './icdar13';
export { parseTotalText } from './totaltext';
export { defaultDataset, defaultDatasetDir, DEFAULT_DATASET, type DefaultDatasetOptions } from './default';
export {
  summarizeDataset, summaryFrame, shapeTable, type DatasetSummary, type ImageRecord, type BoxRecord, type SummaryDataFrame,
} from './summary';
export {
  drawOverlay, OVERLAY_COLORS, DEFAULT_OVERLAY_OPTIONS, type OverlayLayers, type OverlayMatch, type OverlayOptions,
} from './overlay';
export {
  generateSynth, formatIcdar15, DEFAULT_SYNTH_OPTIONS, type SynthOptions, type SynthResult, type SynthManifest,
} from './synth/generate';
export {
  PRESETS as SYNTH_PRESETS, PRESET_NAMES as SYNTH_PRESET_NAMES, SYNTH_VERSION, getPreset as getSynthPreset,
  type PresetName as SynthPresetName, type SynthPreset,
} from './synth/presets';
export { PINNED_FAMILIES, FONT_INSTALL_COMMAND, findPinnedFamilies } from './synth/fonts';
