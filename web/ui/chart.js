// Hand-drawn SVG charts for the dashboard: stacked bars over time, and small horizontal bars.
import { html } from './lib.js';

const W = 760, H = 220, PAD_L = 40, PAD_B = 24, PAD_T = 10;

function niceMax(n) {
  if (n <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= n) ?? n;
}

function clock(t) {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export function TimeChart({ series, bucketSeconds }) {
  const max = niceMax(Math.max(1, ...series.map((p) => p.accepted + p.failed + p.blocked)));
  const innerW = W - PAD_L - 8, innerH = H - PAD_B - PAD_T;
  const slot = innerW / Math.max(1, series.length);
  const bw = Math.max(1, slot * 0.78);
  const y = (v) => PAD_T + innerH - (v / max) * innerH;
  const ticks = [0, max / 2, max];
  const every = Math.max(1, Math.round(series.length / 6));
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label=${`logins per ${bucketSeconds} seconds`}>
    ${ticks.map((t) => html`<line class="grid-line" x1=${PAD_L} x2=${W - 8} y1=${y(t)} y2=${y(t)} /><text class="axis" x=${PAD_L - 6} y=${y(t) + 4} text-anchor="end">${Math.round(t)}</text>`)}
    ${series.map((p, i) => {
      const x = PAD_L + i * slot + (slot - bw) / 2;
      let base = 0;
      return html`<g>
        ${['accepted', 'failed', 'blocked'].map((k) => {
          const v = p[k];
          if (!v) return null;
          const top = y(base + v), h = y(base) - top;
          base += v;
          return html`<rect class=${k} x=${x} y=${top} width=${bw} height=${Math.max(h, 0.5)} rx="1.5"><title>${clock(p.t)} · ${v} ${k}</title></rect>`;
        })}
        ${i % every === 0 ? html`<text class="axis" x=${x + bw / 2} y=${H - 6} text-anchor="middle">${clock(p.t)}</text>` : null}
      </g>`;
    })}
  </svg>`;
}

export function MiniBar({ value, max }) {
  const w = max > 0 ? Math.max(2, (value / max) * 100) : 0;
  return html`<div class="bar"><svg viewBox="0 0 100 8" preserveAspectRatio="none"><rect class="fill" x="0" y="0" width=${w} height="8" /></svg></div>`;
}
