/**
 * vega-lite specs → SVG (and PNG through sharp), rendered headless with vega's `renderer: 'none'`
 * view. SVG is what notebooks and story.html embed: it shows in any viewer and in exported HTML.
 * vega and vega-lite are loaded on first use, so importing the library stays fast.
 */
import { OptionError, defaultLogger, errorText, type Logger } from '../core';

/** A vega-lite v5 top-level spec as plain JSON (what the other stages return). */
export type VegaLiteSpec = Record<string, unknown>;

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Compiles a vega-lite spec to a vega spec; an invalid spec is an OptionError naming vega-lite's reason. */
export function compileChart(spec: VegaLiteSpec, logger: Logger = defaultLogger()): Record<string, unknown> {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new OptionError(`Expected a vega-lite spec object but received ${Array.isArray(spec) ? 'an array' : typeof spec}`, {
      fix: 'pass a vega-lite v5 spec such as { mark: "bar", data: { values: [...] }, encoding: {...} }',
    });
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const vl = require('vega-lite') as typeof import('vega-lite');
  const vlLogger = {
    level: () => vlLogger,
    error: (...m: unknown[]) => { logger.warn(`vega-lite: ${m.join(' ')}`); return vlLogger; },
    warn: (...m: unknown[]) => { logger.warn(`vega-lite: ${m.join(' ')}`); return vlLogger; },
    info: () => vlLogger,
    debug: () => vlLogger,
  };
  try {
    return vl.compile(spec as never, { logger: vlLogger as never }).spec as unknown as Record<string, unknown>;
  } catch (err) {
    throw new OptionError(`vega-lite cannot compile this chart: ${errorText(err)}`, {
      cause: err,
      fix: 'check the spec against https://vega.github.io/vega-lite/docs/ (mark, encoding field names, types)',
    });
  }
}

/** Renders a vega-lite spec to an SVG document string. */
export async function chartToSvg(spec: VegaLiteSpec, logger: Logger = defaultLogger()): Promise<string> {
  const compiled = compileChart(spec, logger);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const vega = require('vega') as typeof import('vega');
  const view = new vega.View(vega.parse(compiled as never), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders a vega-lite spec to PNG bytes (SVG rasterised by sharp at `scale` × its size). */
export async function chartToPng(spec: VegaLiteSpec, scale = 2, logger: Logger = defaultLogger()): Promise<Buffer> {
  const svg = await chartToSvg(spec, logger);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const sharp = require('sharp') as typeof import('sharp');
  return sharp(Buffer.from(svg), { density: 72 * scale }).png().toBuffer();
}
