import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

/**
 * Decodes the PNGs headless Chromium writes (8-bit RGB or RGBA, not interlaced) into RGBA pixels, so a test can
 * ask what was actually drawn.
 */
export interface Image {
  width: number;
  height: number;
  /** Row-major RGBA. */
  pixels: Uint8Array;
}

export function readPng(path: string): Image {
  const data = readFileSync(path);
  if (data.readUInt32BE(0) !== 0x89504e47) throw new Error(`${path} is not a PNG`);
  let offset = 8;
  let width = 0, height = 0, colorType = 0;
  const compressed: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      colorType = body[9];
      if (body[8] !== 8 || body[12] !== 0 || (colorType !== 2 && colorType !== 6)) throw new Error(`${path}: only 8-bit, non-interlaced RGB(A) PNGs are supported`);
    } else if (type === 'IDAT') {
      compressed.push(body);
    }
    offset += 12 + length;
  }
  const channels = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(compressed));
  const stride = width * channels;
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? rows[y * stride + x - channels] : 0;
      const up = y > 0 ? rows[(y - 1) * stride + x] : 0;
      const upLeft = y > 0 && x >= channels ? rows[(y - 1) * stride + x - channels] : 0;
      rows[y * stride + x] = (line[x] + predictor(filter, left, up, upLeft)) & 0xff;
    }
  }
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) pixels[i * 4 + c] = rows[i * channels + c];
    pixels[i * 4 + 3] = channels === 4 ? rows[i * channels + 3] : 255;
  }
  return { width, height, pixels };
}

function predictor(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0: return 0;
    case 1: return left;
    case 2: return up;
    case 3: return (left + up) >> 1;
    case 4: {
      const p = left + up - upLeft;
      const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
      return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }
    default: throw new Error(`unknown PNG filter ${filter}`);
  }
}

/** Pixels within `tolerance` (per channel) of the colour #rrggbb. */
export function countColor(image: Image, hex: string, tolerance = 12): number {
  const target = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let count = 0;
  for (let i = 0; i < image.width * image.height; i++) {
    if (target.every((v, c) => Math.abs(image.pixels[i * 4 + c] - v) <= tolerance)) count++;
  }
  return count;
}

/** Share of pixels that are not (near) white. */
export function inkFraction(image: Image): number {
  let ink = 0;
  for (let i = 0; i < image.width * image.height; i++) {
    if (image.pixels[i * 4] < 235 || image.pixels[i * 4 + 1] < 235 || image.pixels[i * 4 + 2] < 235) ink++;
  }
  return ink / (image.width * image.height);
}

/** Rows [top, top + height) of an image. */
export function cropRows(image: Image, top: number, height: number): Image {
  const rows = Math.min(height, image.height - top);
  return { width: image.width, height: rows, pixels: image.pixels.subarray(top * image.width * 4, (top + rows) * image.width * 4) };
}
