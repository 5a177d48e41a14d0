// The model's global importance as horizontal bars: each feature's share of the total mean
// |SHAP|, largest first. A function of the importance answer.
import { h } from '../dom.js';
import { chartFigure } from './figure.js';
import { percent } from '../format.js';

export function importanceBars(importance) {
  const features = importance.features;
  const largest = Math.max(...features.map((f) => f.share), 1e-9);
  const picture = h('div', { class: 'bars' },
    features.map((f) => {
      const bar = h('span', { class: 'bar bar-importance' });
      bar.style.width = `${(f.share / largest * 100).toFixed(2)}%`;
      return h('div', { class: 'bars-row' },
        h('p', { class: 'bars-label' }, h('span', {}, f.description), h('span', { class: 'bars-value' }, percent(f.share))),
        h('div', { class: 'track' }, bar));
    }));
  const top = features[0];
  return chartFigure({
    title: 'What weighs most for all clients',
    summary: top ? `Over all known clients, "${top.description}" weighs most (${percent(top.share)} of the total).` : 'No feature.',
    picture,
    columns: ['Feature', 'Share of the total importance'],
    rows: features.map((f) => [f.description, percent(f.share)]),
  });
}
