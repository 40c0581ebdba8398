/** Geometry and result types shared by post-processing, evaluation, datasets and reports. */

/** A point in image pixel coordinates, x to the right, y down. */
export type Point = [number, number];

/** A closed polygon given by its vertices (4 for a quad), clockwise in image coordinates. */
export type Polygon = Point[];

/** One detected text region in original-image coordinates. */
export interface DetBox {
  points: Polygon;
  /** Mean text probability inside the region (DB "box score"). */
  score: number;
}

export interface ImageSize {
  width: number;
  height: number;
}
