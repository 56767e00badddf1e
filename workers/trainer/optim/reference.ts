/**
 * torch.optim's single-tensor SGD / Adam / AdamW and clip_grad_norm_, written out in plain JS
 * with float32 rounding after every operation (Math.fround), as PyTorch's CPU kernels compute on
 * float tensors with Python-double scalars cast to float. The tests hold the graph updates
 * against this; it is not used for training.
 */
import type { ResolvedOptimizer } from './optimizers';

const f = Math.fround;

export class ReferenceOptimizer {
  readonly state: Float32Array[];

  constructor(
    private readonly opt: ResolvedOptimizer,
    size: number,
  ) {
    const count = opt.kind === 'sgd' ? (opt.momentum > 0 ? 1 : 0) : 2;
    this.state = Array.from({ length: count }, () => new Float32Array(size));
  }

  /** One update of θ in place; t is the 1-based step number. */
  step(theta: Float32Array, grad: Float32Array, lr: number, t: number): void {
    if (this.opt.kind === 'sgd') this.sgd(theta, grad, lr);
    else this.adam(theta, grad, lr, t);
  }

  private sgd(theta: Float32Array, grad: Float32Array, lr: number): void {
    const { momentum, nesterov, weightDecay } = this.opt;
    const buf = this.state[0];
    for (let i = 0; i < theta.length; i++) {
      let d = weightDecay > 0 ? f(grad[i]! + f(theta[i]! * f(weightDecay))) : grad[i]!;
      if (buf) {
        buf[i] = f(f(buf[i]! * f(momentum)) + d);
        d = nesterov ? f(d + f(buf[i]! * f(momentum))) : buf[i]!;
      }
      theta[i] = f(theta[i]! + f(d * f(-lr)));
    }
  }

  private adam(theta: Float32Array, grad: Float32Array, lr: number, t: number): void {
    const { beta1, beta2, eps, weightDecay, kind } = this.opt;
    const [m, v] = this.state as [Float32Array, Float32Array];
    const negStep = f(-(lr / (1 - Math.pow(beta1, t))));
    const bc2Sqrt = f(Math.sqrt(1 - Math.pow(beta2, t)));
    const decay = f(1 - lr * weightDecay);
    const w1 = 1 - beta1;
    for (let i = 0; i < theta.length; i++) {
      let p = theta[i]!;
      let d = grad[i]!;
      if (weightDecay > 0 && kind === 'adamw') p = f(p * decay);
      if (weightDecay > 0 && kind === 'adam') d = f(d + f(p * f(weightDecay)));
      m[i] = w1 < 0.5 ? f(m[i]! + f(f(d - m[i]!) * f(w1))) : f(d - f(f(d - m[i]!) * f(1 - w1)));
      v[i] = f(f(v[i]! * f(beta2)) + f(f(d * f(1 - beta2)) * d));
      const denom = f(f(f(Math.sqrt(v[i]!)) / bc2Sqrt) + f(eps));
      theta[i] = f(p + f(f(m[i]! / denom) * negStep));
    }
  }
}

/** clip_grad_norm_ on one flat gradient: returns the clipped copy and the norm. */
export function clipReference(grad: Float32Array, maxNorm: number): { grad: Float32Array; norm: number } {
  let sumSq = 0;
  for (const g of grad) sumSq += g * g;
  const norm = Math.sqrt(sumSq);
  const coef = Math.min(maxNorm / (norm + 1e-6), 1);
  return { grad: grad.map((g) => f(g * f(coef))), norm };
}
