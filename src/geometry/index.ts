/**
 * Raster and vector geometry shared by the post-processors (DB now, PAN++ later):
 *
 *   raster ──connectedComponents──▶ runs per component ──componentHull──▶ hull ──minAreaRectOfHull──▶ quad
 *                                          │
 *                                          └──outerContours──▶ border polygon ──polygonMean / offsetPolygon
 */
export {
  connectedComponents,
  componentBounds,
  labelImage,
  checkRaster,
  DEFAULT_COMPONENT_OPTIONS,
  type Raster,
  type Connectivity,
  type ComponentOptions,
  type Components,
  type PixelBounds,
} from './components';
export { traceOuterContour, outerContours, DEFAULT_CONTOUR_OPTIONS, type ContourOptions } from './contour';
export { convexHull, componentHull } from './hull';
export { minAreaRect, minAreaRectOfHull, orderCorners, type RotatedRect } from './min-area-rect';
export { forEachPixelInPolygon, polygonMean, fillPolygon } from './rasterize';
export { signedArea, polygonArea, perimeter, clockwise, simplifyPolygon } from './polygon';
export { offsetPolygon, DEFAULT_OFFSET_OPTIONS, type OffsetOptions, type OffsetJoin } from './offset';
