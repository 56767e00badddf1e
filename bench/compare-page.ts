/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (DOM types: the callbacks given to page.evaluate() run in the page.)
// The compare page with 100 runs × 100,000 steps × 3 metrics, in Chromium against a real
// `trainyard ui`: time from opening `#/compare?runs=…` to all three charts drawn with every run,
// a drag-zoom to the zoomed chart redrawn, and how many points each series drew against the
// plot's width in pixels (the budget: about two per pixel, CONVENTIONS.md 11).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type * as Playwright from 'playwright-core';
import { report, round, scratch } from './harness';
import { seedComparison } from './support/seed-compare';
import { startUi, stopUi } from './support/ui-server';

// Bundled, playwright-core breaks (it reads files beside it): load it from node_modules.
const playwrightPackage = ['playwright', 'core'].join('-');
const { chromium } = createRequire(import.meta.url)(playwrightPackage) as typeof Playwright;

const runCount = Number(process.env.BENCH_COMPARE_RUNS ?? 100);
const steps = Number(process.env.BENCH_COMPARE_STEPS ?? 100_000);
const keys = ['loss', 'accuracy', 'grad_norm'];
const reopens = 5;
const cliPath = resolve('dist/cli/trainyard.js');
if (!existsSync(cliPath) || !existsSync(resolve('dist/renderer/index.html'))) throw new Error('Build first: node scripts/build.mjs --only=renderer,cli,workers');

const home = scratch('compare-page');
const seeded = await seedComparison(home, { runs: runCount, steps, keys });
const server = await startUi(cliPath, home);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});

/** In the page: polls every frame until every chart has all its runs and is not loading; when. */
const allDrawn = ({ charts, runs }: { charts: number; runs: number }): number | false => {
  const figures = [...document.querySelectorAll<HTMLElement>('[data-testid="compare-chart"]')];
  const done = figures.length === charts && figures.every((figure) => figure.dataset.loading === 'false' && figure.dataset.seriesCount === String(runs));
  return done ? performance.now() : false;
};

/** Per chart: the plot's width in pixels and the most points any one series drew. */
const pointsPerPixel = (): { key: string; plotWidthPx: number; maxPointsPerSeries: number; pointsPerPixel: number }[] =>
  [...document.querySelectorAll<HTMLElement>('[data-testid="compare-chart"]')].map((figure) => {
    const plotWidthPx = Number(figure.querySelector('[data-testid="compare-plot"]')!.getAttribute('width'));
    const maxPointsPerSeries = Math.max(...[...figure.querySelectorAll<SVGGElement>('[data-testid="compare-series"]')].map((series) => Number(series.dataset.pointCount)));
    return { key: figure.dataset.metricKey ?? '', plotWidthPx, maxPointsPerSeries, pointsPerPixel: maxPointsPerSeries / plotWidthPx };
  });

try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const compareUrl = `${server.url}#/compare?runs=${seeded.runIds.join(',')}`;
  const open = async (): Promise<{ drawnMs: number; seriesRequests: number; runRequests: number }> => {
    await page.goto(compareUrl);
    const handle = await page.waitForFunction(allDrawn, { charts: keys.length, runs: runCount }, { polling: 'raf', timeout: 120_000 });
    const drawnMs = (await handle.jsonValue()) as number;
    const requests = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
    return { drawnMs, seriesRequests: requests.filter((name) => name.includes('/metrics.seriesBatch') || name.includes('/metrics.series')).length, runRequests: requests.filter((name) => name.includes('/runs.get')).length };
  };

  // Cold: the first open (server caches and the page's JIT cold). Then reopened (a fresh document each time).
  const cold = await open();
  const warm: Awaited<ReturnType<typeof open>>[] = [];
  for (let attempt = 0; attempt < reopens; attempt += 1) warm.push(await open());
  const overview = await page.evaluate(pointsPerPixel);

  // Zoom: drag across a tenth of the first chart, timed from mouse-up to the re-read drawn.
  const chart = page.locator(`[data-testid="compare-chart"][data-metric-key="${keys[0]}"]`);
  const zooms: number[] = [];
  let zoomed: ReturnType<typeof pointsPerPixel> = [];
  for (const [from, to] of [[0.45, 0.55], [0.2, 0.3], [0.6, 0.62]] as const) {
    await chart.getByTestId('reset-zoom').click().catch(() => undefined);
    await page.waitForFunction((key) => document.querySelector<HTMLElement>(`[data-testid="compare-chart"][data-metric-key="${key}"]`)?.dataset.zoomed === 'false', keys[0], { polling: 'raf' });
    await page.evaluate(() => {
      const marks = window as unknown as { __upAt?: number };
      delete marks.__upAt;
      document.addEventListener('mouseup', () => (marks.__upAt = performance.now()), { once: true, capture: true });
    });
    const box = (await chart.getByTestId('compare-plot').boundingBox())!;
    await page.mouse.move(box.x + box.width * from, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * to, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    const handle = await page.waitForFunction((key) => {
      const figure = document.querySelector<HTMLElement>(`[data-testid="compare-chart"][data-metric-key="${key}"]`)!;
      const up = (window as unknown as { __upAt?: number }).__upAt;
      return up !== undefined && figure.dataset.zoomed === 'true' && figure.dataset.loading === 'false' ? performance.now() - up : false;
    }, keys[0], { polling: 'raf', timeout: 30_000 });
    zooms.push((await handle.jsonValue()) as number);
    zoomed = (await page.evaluate(pointsPerPixel)).filter((entry) => entry.key === keys[0]);
  }

  const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const openMs = median(warm.map((entry) => entry.drawnMs));
  const zoomMs = median(zooms);
  const worstRatio = Math.max(...[...overview, ...zoomed].map((entry) => entry.pointsPerPixel));
  report({
    benchmark: 'compare-page',
    runs: runCount,
    stepsPerRun: steps,
    metrics: keys.length,
    seedMs: round(seeded.ms),
    coldOpenToDrawnMs: round(cold.drawnMs),
    openToDrawnMs: round(openMs),
    openToDrawnMsAll: warm.map((entry) => round(entry.drawnMs)),
    requestsPerOpen: { series: warm[0]!.seriesRequests, runDetails: warm[0]!.runRequests },
    zoomToDrawnMs: round(zoomMs),
    zoomToDrawnMsAll: zooms.map((ms) => round(ms)),
    overviewPoints: overview.map((entry) => ({ ...entry, pointsPerPixel: round(entry.pointsPerPixel) })),
    zoomedPoints: zoomed.map((entry) => ({ ...entry, pointsPerPixel: round(entry.pointsPerPixel) })),
    worstPointsPerPixel: round(worstRatio),
    goals: { openToDrawnMs: '<= 1000', zoomToDrawnMs: '<= 200', worstPointsPerPixel: '<= ~2' },
    met: { open: openMs <= 1000, zoom: zoomMs <= 200, points: worstRatio <= 2.1 },
  });
  await page.close();
} finally {
  await browser.close();
  await stopUi(server.child);
}
