/**
 * End-to-end scoring: for each matched GT, the longest common subsequence between its text and
 * the not-yet-used text of its detections (ordered along the GT's characters) is correct; used
 * characters are removed so no character is credited twice.
 */
import type { PreparedBox } from './box';
import { granScore } from './det';
import type { MatchState } from './match';
import { withRph, type CoreStats } from './stats';

/**
 * Longest common subsequence of two code-point arrays, with the reference's tie-breaking (on
 * equal lengths it keeps the left neighbour), which decides which characters get used.
 */
export function lcs(a: readonly string[], b: readonly string[]): string[] {
  const n = a.length, m = b.length;
  if (n === 0 || m === 0) return [];
  const w = m + 1;
  const L = new Int32Array((n + 1) * w);
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      if (a[i - 1] === b[j - 1]) L[i * w + j] = L[(i - 1) * w + j - 1] + 1;
      else {
        const up = L[(i - 1) * w + j], left = L[i * w + j - 1];
        L[i * w + j] = up > left ? up : left;
      }
    }
  }
  const out: string[] = [];
  let i = n, j = m;
  while (i > 0 && j > 0) {
    if (a[i - 1] === b[j - 1]) {
      out.push(a[i - 1]);
      i--;
      j--;
    } else if (L[(i - 1) * w + j] > L[i * w + j - 1]) i--;
    else j--;
  }
  return out.reverse();
}

/** Orders a GT's matched detections by the first pseudo character each contains. */
function orderByCenters(g: number, dets: number[], nChars: number, m: MatchState): number[] {
  const unordered = [...dets];
  const ordered: number[] = [];
  for (let k = 0; k < nChars; k++) {
    if (unordered.length === 1) break;
    for (let u = 0; u < unordered.length; u++) {
      if (m.pcc[g].get(unordered[u])?.[k]) {
        ordered.push(unordered[u]);
        unordered.splice(u, 1);
        break;
      }
    }
  }
  // As the reference: only the first remaining detection is appended.
  ordered.push(unordered[0]);
  return ordered;
}

function removeFirst(arr: string[], ch: string): boolean {
  const i = arr.indexOf(ch);
  if (i < 0) return false;
  arr.splice(i, 1);
  return true;
}

export function scoreEndToEnd(
  gts: PreparedBox[],
  dets: PreparedBox[],
  m: MatchState,
  numCharGt: number,
  recallWeight: number,
  precisionWeight: number,
): CoreStats {
  const { nGt, nDet } = m;
  const gtLeft = gts.map((b) => [...b.chars]);
  const detLeft = dets.map((b) => [...b.chars]);
  let granR = 0;
  for (let g = 0; g < nGt; g++) {
    if (!m.gtValid[g]) continue;
    const ds = m.detsOfGt[g];
    if (ds.length === 0) continue;
    const order = orderByCenters(g, ds, gts[g].chars.length, m);
    const target = order.flatMap((d) => detLeft[d]);
    for (const ch of lcs(gts[g].chars, target)) {
      removeFirst(gtLeft[g], ch);
      for (const d of order) if (removeFirst(detLeft[d], ch)) break;
    }
    granR += granScore(ds.length, recallWeight);
  }

  let granP = 0;
  let tp = 0;
  let numCharDet = 0;
  for (let d = 0; d < nDet; d++) {
    if (!m.detValid[d]) continue;
    const n = m.gtsOfDet[d].length;
    if (n > 0) granP += granScore(n, precisionWeight);
    tp += dets[d].chars.length - detLeft[d].length;
    numCharDet += dets[d].chars.length;
  }
  return withRph({
    numCharGt,
    numCharDet,
    granScoreRecall: granR,
    numCharTpRecall: tp,
    granScorePrecision: granP,
    numCharTpPrecision: tp,
    numCharFp: numCharDet - tp,
  });
}
