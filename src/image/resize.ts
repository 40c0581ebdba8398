/** Target tensor size under a model's resize policy, computed as PaddleOCR's DetResizeForTest does. */
import { OptionError, roundHalfEven } from '../core';

export { roundHalfEven };
import type { ResizePolicy } from '../models';

/** The [height, width] of the tensor the model sees for an image of `width` x `height`. */
export function targetSize(width: number, height: number, policy: ResizePolicy): { width: number; height: number } {
  const m = policy.multiple;
  if (policy.limitType === 'fixed') {
    if (!policy.fixedWidth || !policy.fixedHeight) {
      throw new OptionError('resize.limitType "fixed" needs fixedWidth and fixedHeight', { fix: 'set both, e.g. 1280 and 736' });
    }
    return { width: policy.fixedWidth, height: policy.fixedHeight };
  }
  let ratio = 1;
  if (policy.limitType === 'max') {
    const side = Math.max(width, height);
    if (side > policy.limitSideLen) ratio = policy.limitSideLen / side;
  } else {
    const side = Math.min(width, height);
    if (side < policy.limitSideLen) ratio = policy.limitSideLen / side;
  }
  // int() truncation then round-to-multiple, exactly as PaddleOCR.
  const h = Math.trunc(height * ratio);
  const w = Math.trunc(width * ratio);
  return {
    height: Math.max(roundHalfEven(h / m) * m, m),
    width: Math.max(roundHalfEven(w / m) * m, m),
  };
}
