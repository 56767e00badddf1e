/**
 * Charts out of the app: a standalone SVG file (vector, opens in a browser or Inkscape), a PNG
 * rendered from it, and the downloads themselves. The app styles its charts with CSS classes and
 * theme variables; a file opened elsewhere has neither, so the drawing styles are read back from
 * the live chart and written onto each element.
 */

const svgNamespace = 'http://www.w3.org/2000/svg';
const xlinkNamespace = 'http://www.w3.org/1999/xlink';

/**
 * The computed properties that change what an SVG looks like. Inherited ones are written only
 * where they differ from the parent's, so a chart of thousands of elements stays a small file.
 */
const inheritedProperties = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
] as const;

/** Not inherited: written when not the initial value. `display: none` drops the element instead. */
const ownProperties: Readonly<Record<string, string>> = { opacity: '1' };

/** Elements that can run code or embed HTML: never part of an exported drawing. */
const droppedElements = new Set(['script', 'foreignobject']);

/** What the serializer reads of a DOM node; real nodes satisfy it, and so do plain test objects. */
export interface NodeLike {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<NodeLike>;
  readonly attributes?: ArrayLike<{ readonly name: string; readonly value: string }>;
}

/** The part of `CSSStyleDeclaration` the serializer reads. */
export interface StyleLike {
  getPropertyValue(property: string): string;
}

/** How to write one drawing as a file. */
export interface SerializeOptions {
  /** Becomes the file's `<title>`, which viewers show as its name. */
  readonly title: string;
  /** Size of the drawing in CSS pixels. */
  readonly width: number;
  readonly height: number;
  /** A CSS colour painted behind the drawing; absent, the background stays transparent. */
  readonly background?: string;
  /**
   * Put in front of every id (and of every `url(#…)` / `#…` reference to it), so several charts
   * inlined into one HTML page keep their clip paths apart.
   */
  readonly idPrefix?: string;
  /** The computed style of one element of the original drawing. */
  readonly styleOf: (element: NodeLike) => StyleLike;
}

const elementNode = 1;
const textNode = 3;
const cdataNode = 4;

/** Text content: `&` and `<` must go; `>` too, so `]]>` can never appear. */
export function escapeXmlText(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A double-quoted attribute value; line breaks kept as references so they survive parsing. */
export function escapeXmlAttribute(value: string): string {
  return escapeXmlText(value).replaceAll('"', '&quot;').replaceAll('\n', '&#10;').replaceAll('\r', '&#13;').replaceAll('\t', '&#9;');
}

function attributeOf(node: NodeLike, name: string): string | null {
  const attributes = node.attributes;
  if (!attributes) return null;
  for (let index = 0; index < attributes.length; index += 1) {
    const attribute = attributes[index];
    if (attribute?.name === name) return attribute.value;
  }
  return null;
}

/**
 * Attributes that only serve the app: test hooks and other `data-*`, inline handlers (`on*`),
 * and `class`/`style`, whose stylesheet does not travel (the computed style replaces them).
 */
function keepsAttribute(name: string): boolean {
  const lower = name.toLowerCase();
  return !(lower.startsWith('data-') || lower.startsWith('on') || lower === 'class' || lower === 'style' || lower.startsWith('xmlns'));
}

function prefixReferences(value: string, prefix: string): string {
  return value.replace(/url\(\s*(['"]?)#/g, `url($1#${prefix}`);
}

/** A non-empty computed value; transparent `initial` values come back as '' from some engines. */
function computed(style: StyleLike, property: string): string {
  return style.getPropertyValue(property).trim();
}

/**
 * A paint server reference (`fill: url(#gradient)`) may compute to the page's absolute URL; in a
 * standalone file only the fragment still points at the element.
 */
function localReferences(value: string): string {
  return value.replace(/url\(\s*(['"]?)[^)'"]*#([^)'"#]+)\1\s*\)/g, 'url(#$2)');
}

function styleAttribute(style: StyleLike, parent: StyleLike | null): string {
  const declarations: string[] = [];
  for (const property of inheritedProperties) {
    const value = computed(style, property);
    if (value === '' || (parent !== null && computed(parent, property) === value)) continue;
    declarations.push(`${property}:${localReferences(value)}`);
  }
  for (const [property, initial] of Object.entries(ownProperties)) {
    const value = computed(style, property);
    if (value !== '' && value !== initial) declarations.push(`${property}:${value}`);
  }
  return declarations.join(';');
}

function serializeNode(node: NodeLike, parentStyle: StyleLike | null, options: SerializeOptions, prefix: string): string {
  if (node.nodeType === textNode || node.nodeType === cdataNode) return escapeXmlText(node.textContent ?? '');
  if (node.nodeType !== elementNode) return ''; // comments, processing instructions
  const name = node.nodeName;
  if (droppedElements.has(name.toLowerCase()) || attributeOf(node, 'data-export') === 'skip') return '';
  const style = options.styleOf(node);
  if (computed(style, 'display') === 'none') return '';

  let attributes = '';
  for (let index = 0; index < (node.attributes?.length ?? 0); index += 1) {
    const attribute = node.attributes?.[index];
    if (!attribute || !keepsAttribute(attribute.name)) continue;
    let value = attribute.value;
    if (prefix !== '') {
      if (attribute.name === 'id') value = `${prefix}${value}`;
      else if ((attribute.name === 'href' || attribute.name === 'xlink:href') && value.startsWith('#')) value = `#${prefix}${value.slice(1)}`;
      else value = prefixReferences(value, prefix);
    }
    attributes += ` ${attribute.name}="${escapeXmlAttribute(value)}"`;
  }
  const declarations = styleAttribute(style, parentStyle);
  if (declarations !== '') attributes += ` style="${escapeXmlAttribute(prefix === '' ? declarations : prefixReferences(declarations, prefix))}"`;
  const children = serializeChildren(node, style, options, prefix);
  return children === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${children}</${name}>`;
}

function serializeChildren(node: NodeLike, style: StyleLike, options: SerializeOptions, prefix: string): string {
  let text = '';
  for (let index = 0; index < node.childNodes.length; index += 1) {
    const child = node.childNodes[index];
    if (child) text += serializeNode(child, style, options, prefix);
  }
  return text;
}

function usesXlink(node: NodeLike): boolean {
  const attributes = node.attributes;
  if (attributes) {
    for (let index = 0; index < attributes.length; index += 1) if (attributes[index]?.name.startsWith('xlink:')) return true;
  }
  for (let index = 0; index < node.childNodes.length; index += 1) {
    const child = node.childNodes[index];
    if (child && child.nodeType === elementNode && usesXlink(child)) return true;
  }
  return false;
}

/**
 * The drawing under `root` as a standalone SVG document: the namespace, an explicit size and
 * view box, a title and an optional background first, then the elements with their drawing
 * styles inlined. Interaction-only elements (`data-export="skip"`), hidden ones
 * (`display: none`), scripts and foreign objects are left out. No XML declaration, so the same
 * text can be inlined into HTML.
 */
export function serializeSvg(root: NodeLike, options: SerializeOptions): string {
  const width = Math.max(1, Math.round(options.width));
  const height = Math.max(1, Math.round(options.height));
  const viewBox = attributeOf(root, 'viewBox') ?? `0 0 ${width} ${height}`;
  const [boxX = 0, boxY = 0, boxWidth = width, boxHeight = height] = viewBox.trim().split(/[\s,]+/).map(Number);
  const prefix = options.idPrefix ?? '';
  const style = options.styleOf(root);

  let attributes = ` xmlns="${svgNamespace}"`;
  if (usesXlink(root)) attributes += ` xmlns:xlink="${xlinkNamespace}"`;
  attributes += ` width="${width}" height="${height}" viewBox="${escapeXmlAttribute(viewBox)}"`;
  for (let index = 0; index < (root.attributes?.length ?? 0); index += 1) {
    const attribute = root.attributes?.[index];
    if (!attribute || !keepsAttribute(attribute.name) || ['width', 'height', 'viewBox'].includes(attribute.name)) continue;
    const value = attribute.name === 'id' && prefix !== '' ? `${prefix}${attribute.value}` : attribute.value;
    attributes += ` ${attribute.name}="${escapeXmlAttribute(value)}"`;
  }
  const declarations = styleAttribute(style, null);
  if (declarations !== '') attributes += ` style="${escapeXmlAttribute(declarations)}"`;

  const title = `<title>${escapeXmlText(options.title)}</title>`;
  const background = options.background
    ? `<rect x="${boxX}" y="${boxY}" width="${boxWidth}" height="${boxHeight}" fill="${escapeXmlAttribute(options.background)}" stroke="none"/>`
    : '';
  return `<svg${attributes}>${title}${background}${serializeChildren(root, style, options, prefix)}</svg>`;
}

const transparent = new Set(['', 'transparent', 'rgba(0, 0, 0, 0)']);

/** The colour a chart is seen on: the first painted background among its ancestors. */
function backgroundBehind(element: Element): string {
  for (let current: Element | null = element; current !== null; current = current.parentElement) {
    const color = getComputedStyle(current).backgroundColor;
    if (!transparent.has(color)) return color;
  }
  return '#ffffff';
}

/** The size a chart is drawn at, in CSS pixels: the size of its file and of its PNG. */
export function drawnSize(svg: SVGSVGElement): { width: number; height: number } {
  const box = svg.getBoundingClientRect();
  return {
    width: Math.round(box.width > 0 ? box.width : svg.width.baseVal.value),
    height: Math.round(box.height > 0 ? box.height : svg.height.baseVal.value),
  };
}

const emptyStyle: StyleLike = { getPropertyValue: () => '' };

/**
 * A live chart as a standalone SVG file. The computed styles resolve the theme's CSS variables,
 * so the file looks as the chart did on screen, including in the dark theme; the background
 * defaults to the one the chart is drawn on, so light tick labels stay readable.
 */
export function standaloneSvg(svg: SVGSVGElement, options: { title: string; background?: string; idPrefix?: string }): string {
  const { width, height } = drawnSize(svg);
  return serializeSvg(svg, {
    title: options.title,
    width,
    height,
    background: options.background ?? backgroundBehind(svg),
    idPrefix: options.idPrefix,
    styleOf: (node) => (node instanceof Element ? getComputedStyle(node) : emptyStyle),
  });
}

/** An SVG as a `data:` URL: the app's CSP allows `data:` images but not `blob:` ones. */
export function svgDataUrl(svgText: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
}

/**
 * A PNG of an SVG at `scale` device pixels per CSS pixel (2: sharp on a slide or a retina
 * screen). The SVG must carry its own size, as `standaloneSvg` output does.
 */
export async function svgToPngBlob(svgText: string, width: number, height: number, scale = 2): Promise<Blob> {
  const image = new Image();
  image.src = svgDataUrl(svgText);
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This window cannot draw on a canvas');
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return await new Promise<Blob>((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The chart could not be encoded as PNG'))), 'image/png');
  });
}

/** A download through an object URL: no main-process round trip, works in the browser build too. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.click();
  // Revoked on the next task: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Text as a download; `type` is its MIME type (`text/csv;charset=utf-8`, `image/svg+xml`…). */
export function downloadText(text: string, fileName: string, type: string): void {
  downloadBlob(new Blob([text], { type }), fileName);
}

/**
 * A name usable as a file name on every OS: path separators, characters Windows forbids,
 * control characters and whitespace become '-', repeats collapse, and leading dots go (no
 * hidden files). `val/loss` → `val-loss`.
 */
export function safeFileName(name: string, fallback = 'chart'): string {
  const cleaned = name
    .replace(/[/\\:*?"<>|\u0000-\u001f\u007f\s]+/g, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, 120)
    .replace(/^[-.]+|[-.]+$/g, '');
  return cleaned === '' ? fallback : cleaned;
}
