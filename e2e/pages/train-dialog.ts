import type { Locator, Page } from '@playwright/test';

/** The dataset page's training form (Train… or `t`). */
export class TrainDialog {
  readonly root: Locator;
  readonly open: Locator;
  readonly target: Locator;
  readonly task: Locator;
  readonly hidden: Locator;
  readonly epochs: Locator;
  readonly learningRate: Locator;
  readonly advanced: Locator;
  readonly providers: Locator;
  readonly name: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('train-dialog');
    this.open = page.getByTestId('train-button');
    this.target = this.root.getByTestId('train-target');
    this.task = this.root.getByTestId('train-task');
    this.hidden = this.root.getByTestId('train-hidden');
    this.epochs = this.root.getByTestId('train-epochs');
    this.learningRate = this.root.getByTestId('train-lr');
    this.advanced = this.root.getByTestId('train-advanced');
    this.providers = this.root.getByTestId('train-providers');
    this.name = this.root.getByTestId('train-name');
    this.submit = this.root.getByTestId('train-submit');
    this.error = this.root.getByTestId('train-error');
  }

  /** A feature's checkbox; its label holds the hint where the column cannot be a feature. */
  feature(column: string): Locator {
    return this.root.locator(`[data-testid="train-feature"][data-column="${column}"]`);
  }

  featureLabel(column: string): Locator {
    return this.root.locator('label.train-feature').filter({ has: this.page.locator(`[data-testid="train-feature"][data-column="${column}"]`) });
  }

  /** The inline error under a field, by the field's label ("Epochs", "Hidden layers"…). */
  fieldError(label: string): Locator {
    return this.root.locator(`[data-testid="train-field-error"][data-field="${label}"]`);
  }
}
