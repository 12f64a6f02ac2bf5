import { withPage } from './browser';

/** One line of a chart: a name, a colour and [unix seconds, value] points. */
export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly [number, number][];
  /** Dashed (the second axis' series). @default false */
  readonly dashed?: boolean;
}

export interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly series: readonly Series[];
  /** A time span to shade (e.g. the load), in the points' seconds. @default none */
  readonly span?: { readonly from: number; readonly to: number; readonly label: string };
}

const W = 900;
const H = 260;
const PAD = { left: 60, right: 20, top: 30, bottom: 40 };

function panelSvg(panel: Panel): string {
  const all = panel.series.flatMap((s) => s.points);
  const t0 = Math.min(...all.map(([t]) => t));
  const t1 = Math.max(...all.map(([t]) => t));
  const max = Math.max(1, ...all.map(([, v]) => v)) * 1.1;
  const x = (t: number) => PAD.left + ((t - t0) / Math.max(1, t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const grid = ticks.map((v) => `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>` +
    `<text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${v.toFixed(v < 10 ? 1 : 0)}</text>`).join('');
  const timeTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => t0 + f * (t1 - t0)).map((t) =>
    `<text x="${x(t)}" y="${H - PAD.bottom + 16}" text-anchor="middle" font-size="11">${Math.round(t - t0)} s</text>`).join('');
  const lines = panel.series.map((s) => `<polyline fill="none" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="6 4"' : ''} ` +
    `points="${s.points.filter(([, v]) => Number.isFinite(v)).map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`).join('');
  const legend = panel.series.map((s, i) => `<g transform="translate(${PAD.left + 10 + i * 320},${PAD.top - 12})">` +
    `<line x1="0" x2="24" y1="0" y2="0" stroke="${s.color}" stroke-width="3"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>` +
    `<text x="30" y="4" font-size="12">${s.name}</text></g>`).join('');
  const span = panel.span ? `<rect x="${x(panel.span.from)}" y="${PAD.top}" width="${x(panel.span.to) - x(panel.span.from)}" height="${H - PAD.top - PAD.bottom}" fill="#f3efe0"/>` +
    `<text x="${x(panel.span.to) - 4}" y="${PAD.top + 14}" text-anchor="end" font-size="11" fill="#776">${panel.span.label}</text>` : '';
  return `<h2>${panel.title}</h2><svg width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">${span}${grid}${timeTicks}` +
    `<text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle" font-size="12">${panel.unit}</text>${lines}${legend}</svg>`;
}

/** Renders the panels as SVG in an HTML page and screenshots it with headless Chromium. */
export async function renderChart(file: string, title: string, subtitle: string, panels: readonly Panel[]): Promise<void> {
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>
    body { font-family: sans-serif; margin: 20px; color: #222; } h1 { font-size: 20px; margin: 0 0 4px; }
    h2 { font-size: 15px; margin: 18px 0 4px; } p { margin: 0; color: #555; font-size: 13px; }</style></head>
    <body><h1>${title}</h1><p>${subtitle}</p>${panels.map(panelSvg).join('')}</body></html>`;
  await withPage(async (page) => {
    await page.setViewportSize({ width: W + 40, height: 120 + panels.length * (H + 50) });
    await page.setContent(html);
    await page.screenshot({ path: file, fullPage: true });
  });
}
