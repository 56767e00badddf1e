/**
 * Exponential moving average with TensorBoard's debiasing: `weight` 0 returns the values as they
 * are, 0.99 smooths heavily. The first values are not dragged toward zero (the running average is
 * divided by 1 − weightⁿ), and a NaN/±∞ value stays a gap without poisoning what follows.
 */
export function ema(values: readonly (number | null)[], weight: number): (number | null)[] {
  const w = Math.min(0.999, Math.max(0, weight));
  if (w === 0) return values.map((value) => (value !== null && Number.isFinite(value) ? value : null));
  let average = 0;
  let seen = 0;
  return values.map((value) => {
    if (value === null || !Number.isFinite(value)) return null;
    average = average * w + (1 - w) * value;
    seen += 1;
    return average / (1 - w ** seen);
  });
}
