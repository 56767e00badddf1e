/**
 * What scoring keeps per row, batch after batch: only what the metrics need (true class,
 * predicted class and the probabilities, or actual and predicted values) in growing typed
 * arrays, so a few million rows stay a few tens of megabytes. Rows the model answers with NaN
 * (a missing value its graph does not impute) are counted and left out: no metric is defined on them.
 */
import type { Tensor } from 'onnxruntime-node';
import { invalid } from '../../../shared/errors';
import { LABEL_OUTPUT, PREDICTION_OUTPUT } from '../../trainer/export/types';
import type { ModelTask } from './model-io';

/** A Float64Array that grows by doubling. */
class Column {
  private data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

export class ScoreAccumulator {
  private readonly truth = new Column();
  private readonly predicted = new Column();
  private readonly probabilities = new Column();
  private readonly actual = new Column();
  /** Rows left out because the model returned NaN for them. */
  nanRows = 0;
  private readonly classIndex: ReadonlyMap<string, number>;

  constructor(readonly kind: ModelTask) {
    this.classIndex = new Map(kind.task === 'classification' ? kind.classes.map((name, i) => [name, i]) : []);
  }

  get rows(): number {
    return this.kind.task === 'classification' ? this.truth.length : this.actual.length;
  }

  /**
   * One batch's outputs. `truth` holds class indices (classification) or target values
   * (regression) for the batch's rows, in order.
   */
  add(outputs: Readonly<Record<string, Tensor>>, truth: ArrayLike<number>): void {
    const rows = truth.length;
    if (this.kind.task === 'regression') {
      const prediction = output(outputs, PREDICTION_OUTPUT);
      const values = prediction.data as ArrayLike<number>;
      if (values.length !== rows) {
        if (rows > 0 && values.length % rows === 0) throw invalid(`The model predicts ${values.length / rows} targets per row; evaluation compares one prediction with one target column.`);
        throw new Error(`the model returned ${values.length} predictions for ${rows} rows`);
      }
      for (let r = 0; r < rows; r++) {
        const value = Number(values[r]);
        if (Number.isNaN(value) || Number.isNaN(truth[r])) {
          this.nanRows++;
          continue;
        }
        this.actual.push(truth[r]!);
        this.predicted.push(value);
      }
      return;
    }
    const { probabilityOutputs, classes, hasLabel } = this.kind;
    const columns = probabilityOutputs.map((name) => {
      const data = output(outputs, name).data as ArrayLike<number>;
      if (data.length !== rows) throw new Error(`the model's ${JSON.stringify(name)} output has ${data.length} values for ${rows} rows`);
      return data;
    });
    const labels = hasLabel ? (output(outputs, LABEL_OUTPUT).data as ArrayLike<string | bigint | number>) : null;
    for (let r = 0; r < rows; r++) {
      if (columns.some((column) => Number.isNaN(Number(column[r])))) {
        this.nanRows++;
        continue;
      }
      let predicted: number;
      if (labels) {
        const name = String(labels[r]);
        const index = this.classIndex.get(name);
        if (index === undefined) throw invalid(`The model's "${LABEL_OUTPUT}" output gave ${JSON.stringify(name)}, which is not one of its classes (${classes.map((c) => JSON.stringify(c)).join(', ')}).`);
        predicted = index;
      } else {
        predicted = 0;
        for (let c = 1; c < columns.length; c++) if (Number(columns[c]![r]) > Number(columns[predicted]![r])) predicted = c;
      }
      this.truth.push(truth[r]!);
      this.predicted.push(predicted);
      for (const column of columns) this.probabilities.push(Number(column[r]));
    }
  }

  classification(): { truth: Float64Array; predicted: Float64Array; probabilities: Float64Array } {
    return { truth: this.truth.values(), predicted: this.predicted.values(), probabilities: this.probabilities.values() };
  }

  regression(): { actual: Float64Array; predicted: Float64Array } {
    return { actual: this.actual.values(), predicted: this.predicted.values() };
  }
}

function output(outputs: Readonly<Record<string, Tensor>>, name: string): Tensor {
  const tensor = outputs[name];
  if (!tensor) throw new Error(`the model returned no ${JSON.stringify(name)} output`);
  return tensor;
}
