/**
 * A hand-written SVG line chart: one polyline per (wallet, installs|uninstalls), days on x, counts
 * on y. Uninstalls are dashed; each wallet has its colour. No dependency: it is a few elements.
 */
import type { DailyRow } from './query';

const W = 800;
const H = 360;
const PAD = { left: 50, right: 150, top: 20, bottom: 40 };
const COLOURS: Record<string, string> = { apple: '#111111', google: '#1a73e8' };

function escape(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string,
  );
}

export function renderChart(rows: DailyRow[], title: string): string {
  const days = Array.from(new Set(rows.map((r) => r.day))).sort();
  const wallets = Array.from(new Set(rows.map((r) => r.wallet))).sort();
  const max = Math.max(1, ...rows.map((r) => Math.max(r.installs, r.uninstalls)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number): number => PAD.left + (days.length > 1 ? (i * plotW) / (days.length - 1) : plotW / 2);
  const y = (v: number): number => PAD.top + plotH - (v * plotH) / max;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<title>${escape(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<line x1="${PAD.left}" y1="${y(0)}" x2="${PAD.left + plotW}" y2="${y(0)}" stroke="#999"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${y(0)}" stroke="#999"/>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${max}</text>`,
    `<text x="${PAD.left - 6}" y="${y(0) + 4}" text-anchor="end">0</text>`,
  ];
  if (days.length > 0) {
    parts.push(`<text x="${x(0)}" y="${H - 15}">${escape(days[0] as string)}</text>`);
    parts.push(
      `<text x="${x(days.length - 1)}" y="${H - 15}" text-anchor="end">${escape(days[days.length - 1] as string)}</text>`,
    );
  }
  let legend = 0;
  for (const wallet of wallets) {
    const colour = COLOURS[wallet] || '#e8710a';
    for (const field of ['installs', 'uninstalls'] as const) {
      const points = days.map((day, i) => {
        const row = rows.find((r) => r.day === day && r.wallet === wallet);
        return `${x(i).toFixed(1)},${y(row ? row[field] : 0).toFixed(1)}`;
      });
      const dash = field === 'uninstalls' ? ' stroke-dasharray="5,4"' : '';
      parts.push(
        `<polyline data-series="${escape(`${wallet} ${field}`)}" fill="none" stroke="${colour}" stroke-width="2"${dash} points="${points.join(' ')}"/>`,
      );
      const ly = PAD.top + 10 + legend++ * 18;
      parts.push(
        `<line x1="${W - PAD.right + 15}" y1="${ly}" x2="${W - PAD.right + 40}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash}/>`,
      );
      parts.push(`<text x="${W - PAD.right + 46}" y="${ly + 4}">${escape(`${wallet} ${field}`)}</text>`);
    }
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
