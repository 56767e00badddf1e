/**
 * Compare charts draw their runs on a canvas; a vector export needs them as SVG paths. Each chart
 * registers how to render itself as one SVG (synchronously, for the moment of capture) under its
 * figure element, so the report can ask every chart on the page without holding refs to them.
 */
const providers = new WeakMap<Element, () => SVGSVGElement | null>();

export function registerVectorSvg(figure: Element, provide: () => SVGSVGElement | null): () => void {
  providers.set(figure, provide);
  return () => {
    if (providers.get(figure) === provide) providers.delete(figure);
  };
}

/** The figure's chart as one vector SVG (valid until the next task), or null when it has no provider. */
export function vectorSvgOf(figure: Element): SVGSVGElement | null {
  return providers.get(figure)?.() ?? null;
}
