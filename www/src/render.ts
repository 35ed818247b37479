// Renders what the core returns. Every cell is a string the core has already formatted; this
// module only places text and the core's SVG into the page.
import { el } from './dom.js';
import type { DisplayTable } from './types.js';

// Columns whose every cell reads as a number ("31 (18–NR)", "72.2%", "<0.001", "NR", "–") are
// right-aligned. This only chooses alignment; the text is shown exactly as the core wrote it.
const NUMERIC_CELL = /^(?:[-−–+<>≤≥(]?\s?\d|\.\d|NR\b|[–—-]$|–?∞)/;

export function renderTable(table: DisplayTable, actions: HTMLElement[] = []): HTMLElement {
  const headId = `table-${table.id}`;
  const head = el('tr', {}, ...table.columns.map((c) => el('th', { scope: 'col' }, c)));
  const numericColumns = table.columns.map(
    (_, j) => table.rows.length > 0 && table.rows.every((row) => NUMERIC_CELL.test((row[j] ?? '').trim())),
  );
  const body = table.rows.map((row) =>
    el(
      'tr',
      {},
      ...row.map((cell, j) => el('td', { class: numericColumns[j] ? 'num' : undefined }, cell)),
    ),
  );
  const tableNode = el(
    'table',
    { 'data-table-id': table.id },
    el('caption', { id: headId }, table.title),
    el('thead', {}, head),
    el('tbody', {}, ...body),
  );
  // The wrapper scrolls sideways on narrow screens; it is focusable so keyboards can scroll it.
  const wrapper = el('div', { class: 'table-scroll', role: 'region', 'aria-labelledby': headId, tabindex: '0' }, tableNode);
  const block = el('section', { class: 'table-block' });
  if (actions.length > 0) block.append(el('div', { class: 'block-actions' }, ...actions));
  block.append(wrapper);
  const notes = table.notes ?? [];
  if (notes.length > 0) {
    block.append(el('ul', { class: 'notes' }, ...notes.map((n) => el('li', {}, n))));
  }
  return block;
}

/** Parses the core's SVG markup as an XML document (never as HTML) and imports its root element. */
export function importSvg(markup: string): SVGSVGElement {
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  const root = doc.documentElement;
  if (doc.getElementsByTagName('parsererror').length > 0 || root.localName !== 'svg') {
    throw new Error('the plot could not be read (the SVG from the core is not well-formed)');
  }
  const svg = document.importNode(root, true) as unknown as SVGSVGElement;
  // Scripts and event handlers have no place in a plot; drop any, defensively.
  for (const node of Array.from(svg.querySelectorAll('script, foreignObject'))) node.remove();
  for (const node of [svg, ...Array.from(svg.querySelectorAll('*'))]) {
    for (const attr of Array.from(node.attributes)) {
      if (attr.name.toLowerCase().startsWith('on')) node.removeAttribute(attr.name);
    }
  }
  uniqueIds(svg);
  return svg;
}

/** Figures imported so far (for ids unique in the page). */
let imported = 0;

/**
 * Gives the SVG's ids (a clip path, say) a suffix unique in the page, and points its
 * references at them: every Kaplan–Meier figure has a `plot-area` clip path of its own size,
 * and with several figures in one page a shared id would clip them all to the first one's.
 */
function uniqueIds(svg: SVGSVGElement): void {
  imported += 1;
  const nodes = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const renamed = new Map<string, string>();
  for (const node of nodes) {
    if (node.id !== '') {
      const id = `${node.id}-f${imported}`;
      renamed.set(node.id, id);
      node.id = id;
    }
  }
  if (renamed.size === 0) return;
  for (const node of nodes) {
    for (const attr of Array.from(node.attributes)) {
      const value = attr.value.replace(/url\(#([^)]+)\)/g, (whole, id: string) => {
        const next = renamed.get(id);
        return next === undefined ? whole : `url(#${next})`;
      });
      const href = /href$/i.test(attr.name) && value.startsWith('#') ? renamed.get(value.slice(1)) : undefined;
      const next = href === undefined ? value : `#${href}`;
      if (next !== attr.value) node.setAttribute(attr.name, next);
    }
  }
}

export function renderFigure(title: string, markup: string, actions: HTMLElement[] = []): HTMLElement {
  const figure = el('figure', { class: 'plot' });
  const caption = el('figcaption', {}, el('span', {}, title));
  if (actions.length > 0) caption.append(el('span', { class: 'block-actions' }, ...actions));
  figure.append(importSvg(markup), caption);
  return figure;
}
