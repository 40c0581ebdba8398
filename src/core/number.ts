/** Python's `round(x)`: half to even. PaddleOCR's resize, its box mapping and CLEval's character estimates rely on it. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
