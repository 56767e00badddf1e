import { expect, type Locator, type Page } from '@playwright/test';

/** The models section: the list, a model's page with its tabs, and the registry dialogs. */
export class ModelsPage {
  readonly rows: Locator;
  readonly empty: Locator;
  readonly root: Locator;
  readonly title: Locator;
  readonly aliases: Locator;
  readonly versionRows: Locator;
  readonly historyTexts: Locator;
  readonly registerButton: Locator;
  readonly registerDialog: Locator;
  readonly stageDialog: Locator;
  readonly aliasDialog: Locator;

  /** `url`: the address `trainyard ui` printed. */
  constructor(
    readonly page: Page,
    private readonly url: string,
  ) {
    this.rows = page.getByTestId('model-row');
    this.empty = page.getByTestId('models-empty');
    this.root = page.getByTestId('model-page');
    this.title = page.getByTestId('model-title');
    this.aliases = page.getByTestId('model-aliases');
    this.versionRows = page.getByTestId('model-version-row');
    this.historyTexts = page.getByTestId('history-text');
    this.registerButton = page.getByTestId('register-model');
    this.registerDialog = page.getByTestId('register-dialog');
    this.stageDialog = page.getByTestId('stage-dialog');
    this.aliasDialog = page.getByTestId('alias-dialog');
  }

  async open(hash = '#/models'): Promise<void> {
    await this.page.goto(`${this.url}${hash}`);
    await expect(this.page.getByTestId('status-connection')).toHaveAttribute('data-state', 'connected');
  }

  row(name: string): Locator {
    return this.page.locator(`[data-testid="model-row"][data-model="${name}"]`);
  }

  version(version: number): Locator {
    return this.page.locator(`[data-testid="model-version-row"][data-version="${version}"]`);
  }

  stageOf(version: number): Locator {
    return this.version(version).getByTestId('stage-badge');
  }

  aliasesOf(version: number): Locator {
    return this.version(version).getByTestId('alias-chip');
  }

  tab(name: 'versions' | 'history' | 'lineage' | 'serving'): Locator {
    return this.page.getByTestId(`model-tab-${name}`);
  }

  /** A version's opened row: signature, facts and its Evaluation section. */
  detail(version: number): Locator {
    return this.page.locator(`[data-testid="version-detail-row"][data-version="${version}"]`);
  }

  /** The Serving tab's card of the server started from `uri`. */
  server(uri: string): Locator {
    return this.page.locator(`[data-testid="server-card"][data-uri="${uri}"]`);
  }

  /** A field of a server's try-it form, by input name. */
  tryField(card: Locator, name: string): Locator {
    return card.locator(`[data-testid="try-field"][data-field="${name}"]`);
  }

  registerField(name: 'name' | 'description' | 'alias' | 'stage' | 'archive' | 'submit' | 'name-hint' | 'alias-notice' | 'alias-problem' | 'error'): Locator {
    return this.page.getByTestId(`register-${name}`);
  }

  /** Set alias… on a version, typed; the dialog stays open for the caller to read and confirm. */
  async typeAlias(version: number, alias: string): Promise<void> {
    await this.version(version).getByTestId('version-alias').click();
    await expect(this.aliasDialog).toBeVisible();
    await this.page.getByTestId('alias-input').fill(alias);
  }
}
