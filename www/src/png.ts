// PNG export of a figure at 300 dpi. The core draws every figure as SVG; this module only moves
// bytes: it draws that SVG into a canvas and writes the canvas as a PNG that says its resolution.
//
// Physical size: an SVG's width and height are CSS pixels, and CSS has 96 px to the inch, so the
// figure is (width / 96) inches wide. At 300 dpi the PNG is therefore width × 300 / 96 pixels wide
// (the 820-px Kaplan–Meier figure: 8.54 in, 2563 px), and its pHYs chunk says 11811 pixels per
// metre (300 / 0.0254), so a word processor places it at that size.
//
// The SVG goes into an <img> through a data: URL (the page's CSP allows `img-src data:`, and the
// core's figures reference nothing outside themselves), so nothing is fetched.

export const DPI = 300;
const CSS_PX_PER_INCH = 96;
/** 300 dots per inch in dots per metre, as PNG's pHYs chunk counts them. */
export const PIXELS_PER_METRE = Math.round(DPI / 0.0254);

/** The SVG's size in CSS pixels, from its width/height attributes (or its viewBox). */
export function svgSize(markup: string): { width: number; height: number } {
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  const root = doc.documentElement;
  const read = (name: string) => Number.parseFloat(root.getAttribute(name) ?? '');
  let width = read('width');
  let height = read('height');
  if (!(width > 0 && height > 0)) {
    const box = (root.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
    width = box[2] ?? NaN;
    height = box[3] ?? NaN;
  }
  if (!(width > 0 && height > 0)) throw new Error('the figure has no size');
  return { width, height };
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('the figure could not be drawn'));
    image.src = url;
  });
}

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The SVG as a 300-dpi PNG (white background). */
export async function svgToPng(markup: string): Promise<Blob> {
  const { width, height } = svgSize(markup);
  const scale = DPI / CSS_PX_PER_INCH;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('this browser cannot draw images');
  const image = await loadImage(`data:image/svg+xml;base64,${toBase64(markup)}`);
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (blob === null) throw new Error('the PNG could not be made');
  return new Blob([withResolution(new Uint8Array(await blob.arrayBuffer()), PIXELS_PER_METRE)], { type: 'image/png' });
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The PNG with a pHYs chunk of `perMetre` pixels per metre in both directions, placed right
 * after IHDR (any pHYs already there is dropped; it must come before the image data).
 */
export function withResolution(png: Uint8Array, perMetre: number): Uint8Array<ArrayBuffer> {
  const SIGNATURE = 8;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Uint8Array[] = [png.subarray(0, SIGNATURE)];
  const phys = new Uint8Array(12 + 9);
  const pv = new DataView(phys.buffer);
  pv.setUint32(0, 9);
  phys.set([0x70, 0x48, 0x59, 0x73], 4); // "pHYs"
  pv.setUint32(8, perMetre);
  pv.setUint32(12, perMetre);
  phys[16] = 1; // unit: metre
  pv.setUint32(17, crc32(phys.subarray(4, 17)));
  let offset = SIGNATURE;
  while (offset + 12 <= png.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const end = offset + 12 + length;
    if (type !== 'pHYs') chunks.push(png.subarray(offset, end));
    if (type === 'IHDR') chunks.push(phys);
    offset = end;
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
