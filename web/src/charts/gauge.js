// The score as a half-dial from 0% to 100% probability of default: the part below the threshold
// (accepted) and above it (refused) drawn with different colours and dash patterns, the threshold
// marked and labelled, a needle at the client's probability. A function of the score answer.
import { svg } from '../dom.js';
import { chartFigure } from './figure.js';
import { percent, points } from '../format.js';

const kCentreX = 160, kCentreY = 150, kRadius = 120;

// The point of the dial at probability p (0 on the left, 1 on the right), `radius` from the centre.
function at(p, radius) {
  const angle = Math.PI * (1 - p);
  return [kCentreX + radius * Math.cos(angle), kCentreY - radius * Math.sin(angle)];
}

function arc(from, to, className) {
  const [x0, y0] = at(from, kRadius), [x1, y1] = at(to, kRadius);
  return svg('path', { d: `M${x0.toFixed(1)},${y0.toFixed(1)} A${kRadius},${kRadius} 0 0 1 ${x1.toFixed(1)},${y1.toFixed(1)}`, class: className });
}

export function scoreGauge(score) {
  const { probability, threshold, decision } = score;
  const [needleX, needleY] = at(probability, kRadius - 18);
  const [tickInX, tickInY] = at(threshold, kRadius - 22), [tickOutX, tickOutY] = at(threshold, kRadius + 16);
  const [labelX, labelY] = at(threshold, kRadius + 26);
  const picture = svg('svg', { viewBox: '0 0 320 200', class: 'gauge' },
    arc(0, threshold, 'gauge-accept'),
    arc(threshold, 1, 'gauge-refuse'),
    svg('line', { x1: tickInX, y1: tickInY, x2: tickOutX, y2: tickOutY, class: 'gauge-threshold' }),
    svg('text', { x: labelX, y: labelY, class: 'gauge-label', 'text-anchor': threshold < 0.5 ? 'end' : 'start' },
      `limit ${percent(threshold)}`),
    svg('line', { x1: kCentreX, y1: kCentreY, x2: needleX, y2: needleY, class: 'gauge-needle' }),
    svg('circle', { cx: kCentreX, cy: kCentreY, r: 6, class: 'gauge-hub' }),
    svg('text', { x: kCentreX, y: kCentreY + 32, class: 'gauge-value', 'text-anchor': 'middle' }, percent(probability)),
    svg('text', { x: 40, y: kCentreY + 18, class: 'gauge-label', 'text-anchor': 'middle' }, '0%'),
    svg('text', { x: 280, y: kCentreY + 18, class: 'gauge-label', 'text-anchor': 'middle' }, '100%'));
  const side = probability < threshold ? 'below' : 'above';
  return chartFigure({
    title: 'Probability of default',
    summary: `${percent(probability)}, ${points(probability - threshold)} ${side} the acceptance limit of ${percent(threshold)}: ${decision}.`,
    picture,
    columns: ['Measure', 'Value'],
    rows: [['Probability of default', percent(probability)], ['Acceptance limit (threshold)', percent(threshold)],
           ['Distance to the limit', `${points(probability - threshold)} ${side}`], ['Decision', decision]],
  });
}
