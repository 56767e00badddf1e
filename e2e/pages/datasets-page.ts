import { expect, type Locator, type Page } from '@playwright/test';

/** The datasets section: list, drop zone, import dialog, a dataset's page and its tabs. */
export class DatasetsPage {
  readonly rows: Locator;
  readonly empty: Locator;
  readonly overlay: Locator;
  readonly importDialog: Locator;
  readonly importName: Locator;
  readonly importSubmit: Locator;
  readonly root: Locator;
  readonly title: Locator;
  readonly version: Locator;
  readonly rowCount: Locator;
  readonly suiteEditor: Locator;
  readonly report: Locator;
  readonly reportRows: Locator;
  readonly jobLink: Locator;

  /** `url`: the address `trainyard ui` printed, or null where the app is already loaded (Electron). */
  constructor(
    readonly page: Page,
    private readonly url: string | null,
  ) {
    this.rows = page.getByTestId('dataset-row');
    this.empty = page.getByTestId('datasets-empty');
    this.overlay = page.getByTestId('drop-overlay');
    this.importDialog = page.getByTestId('import-dialog');
    this.importName = page.getByTestId('import-name');
    this.importSubmit = page.getByTestId('import-submit');
    this.root = page.getByTestId('dataset-page');
    this.title = page.getByTestId('dataset-title');
    this.version = page.getByTestId('dataset-version');
    this.rowCount = page.getByTestId('dataset-row-count');
    this.suiteEditor = page.getByTestId('suite-editor');
    this.report = page.getByTestId('validation-report');
    this.reportRows = page.getByTestId('report-row');
    this.jobLink = page.getByTestId('status-job-link');
  }

  async open(hash = '#/datasets'): Promise<void> {
    if (this.url !== null) await this.page.goto(`${this.url}${hash}`);
    else await this.page.evaluate((route) => (window.location.hash = route), hash);
    await expect(this.page.getByTestId('status-connection')).toHaveAttribute('data-state', 'connected');
  }

  /**
   * Drags a file built in the page over the window and drops it: real `dragenter` and `drop`
   * events carrying a DataTransfer, as the OS would send them. Checks the overlay on the way.
   */
  async dropFile(name: string, content: string, type = 'text/csv'): Promise<void> {
    const transfer = await this.page.evaluateHandle(({ fileName, text, mime }) => {
      const data = new DataTransfer();
      data.items.add(new File([text], fileName, { type: mime }));
      return data;
    }, { fileName: name, text: content, mime: type });
    await this.page.locator('body').dispatchEvent('dragenter', { dataTransfer: transfer });
    await expect(this.overlay).toBeVisible();
    await this.page.locator('body').dispatchEvent('dragover', { dataTransfer: transfer });
    await this.page.locator('body').dispatchEvent('drop', { dataTransfer: transfer });
    await expect(this.overlay).toBeHidden();
  }

  /** Picks a file through the Import… button's file chooser. */
  async pickFile(name: string, content: string): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByTestId('import-button').click();
    await (await chooser).setFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
  }

  row(name: string): Locator {
    return this.page.locator(`[data-testid="dataset-row"][data-dataset="${name}"]`);
  }

  tab(name: 'profile' | 'preview' | 'validation' | 'lineage'): Locator {
    return this.page.getByTestId(`dataset-tab-${name}`);
  }

  columnCard(column: string): Locator {
    return this.page.locator(`[data-testid="column-card"][data-column="${column}"]`);
  }

  columnStat(column: string, stat: string): Locator {
    return this.columnCard(column).locator(`[data-testid="column-stat"][data-stat="${stat}"] dd`);
  }

  reportStat(name: 'evaluated' | 'successful' | 'unsuccessful' | 'percent'): Locator {
    return this.report.locator(`[data-testid="report-stat"][data-stat="${name}"] .report-stat-value`);
  }

  /** Replaces the suite in the editor and runs it. */
  async runSuite(suite: unknown): Promise<void> {
    await this.suiteEditor.fill(JSON.stringify(suite, null, 2));
    await this.page.getByTestId('run-validation').click();
  }
}
