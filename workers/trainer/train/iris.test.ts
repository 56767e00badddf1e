/**
 * A classic small real data set: Fisher's Iris (fixtures/iris.csv). A held-out 20% (seeded) is
 * classified with ≥ 0.93 accuracy, the level every textbook model reaches on it (~0.95–0.97).
 */
import { describe, expect, it } from 'vitest';
import { readIris } from './test-data';
import { train } from './train';

describe('Iris', () => {
  const iris = readIris();

  it('reads 150 rows, 50 per species', () => {
    expect(iris.x.length).toBe(600);
    expect([0n, 1n, 2n].map((c) => iris.y.filter((y) => y === c).length)).toEqual([50, 50, 50]);
  });

  for (const [label, hidden] of [['MLP 4→16→3', [16]], ['softmax regression', []]] as const) {
    it(`${label} reaches ≥ 0.93 validation accuracy`, async () => {
      const result = await train(
        {
          model: { task: 'classification', inputs: 4, hidden: [...hidden], classes: 3 },
          optimizer: { kind: 'adam', lr: 0.02 },
          epochs: 150,
          batchSize: 16,
          validationFraction: 0.2,
          monitor: 'val_loss',
          seed: 1936,
        },
        iris,
      );
      const final = result.history[result.history.length - 1]!;
      if (process.env.TRAIN_REPORT) process.stdout.write(`IRIS\t${label}\tval_accuracy ${final.valAccuracy}\tval_loss ${final.valLoss}\n`);
      expect(final.valAccuracy).toBeGreaterThanOrEqual(0.93);
    });
  }
});
