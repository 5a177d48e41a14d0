// The client's reasons as a waterfall in percentage points of probability: from the model's
// average answer (the base value) through each main reason, then everything else together, to
// the client's probability, with the acceptance limit marked. Bars are HTML boxes on a shared
// scale, so their labels wrap at any zoom and width. A function of the explanation answer.
import { h } from '../dom.js';
import { chartFigure } from './figure.js';
import { percent, signedPoints } from '../format.js';

// The steps from the base value to the probability: {label, detail, from, to, kind}.
export function waterfallSteps(explanation) {
  const reasons = [...explanation.reasons_toward_refusal, ...explanation.reasons_toward_acceptance]
    .sort((a, b) => Math.abs(b.contribution_probability) - Math.abs(a.contribution_probability));
  const steps = [];
  let running = explanation.base_value.probability;
  steps.push({ label: 'Average client (the model\'s base value)', detail: '', from: 0, to: running, kind: 'total' });
  for (const reason of reasons) {
    const next = running + reason.contribution_probability;
    steps.push({ label: reason.description, detail: `value: ${reason.value_in_words ?? 'not known'}`, from: running, to: next,
                 kind: next >= running ? 'raise' : 'lower' });
    running = next;
  }
  const rest = explanation.probability - running;
  steps.push({ label: 'All the other features together', detail: '', from: running, to: explanation.probability,
               kind: rest >= 0 ? 'raise' : 'lower' });
  steps.push({ label: 'This client', detail: '', from: 0, to: explanation.probability, kind: 'total' });
  return steps;
}

function effectWords(step) {
  if (step.kind === 'total') return percent(step.to);
  const change = step.to - step.from;
  return `${signedPoints(change)} points, ${change >= 0 ? 'raises' : 'lowers'} the risk`;
}

export function reasonsWaterfall(explanation) {
  const steps = waterfallSteps(explanation);
  // The scale spans the running probabilities and the limit (with a margin), not 0 to 100%, so
  // the reasons' bars are wide enough to see; the totals start at the scale's left edge, which
  // the axis line says in numbers.
  const levels = [explanation.threshold, ...steps.filter((s) => s.kind !== 'total').flatMap((s) => [s.from, s.to])];
  const margin = Math.max(0.01, (Math.max(...levels) - Math.min(...levels)) * 0.15);
  const low = Math.max(0, Math.min(...levels) - margin);
  const high = Math.min(1, Math.max(...levels) + margin);
  const x = (p) => `${((Math.max(low, Math.min(high, p)) - low) / (high - low) * 100).toFixed(2)}%`;
  const picture = h('div', { class: 'waterfall' },
    steps.map((step) => {
      const bar = h('span', { class: `bar bar-${step.kind}` });
      bar.style.left = x(Math.min(step.from, step.to));
      bar.style.width = `max(2px, calc(${x(Math.max(step.from, step.to))} - ${x(Math.min(step.from, step.to))}))`;
      const limit = h('span', { class: 'limit' });
      limit.style.left = x(explanation.threshold);
      return h('div', { class: 'waterfall-row' },
        h('p', { class: 'waterfall-label' }, h('span', { class: 'waterfall-name' }, step.label),
          step.detail ? h('span', { class: 'waterfall-detail' }, ` (${step.detail})`) : '',
          h('span', { class: 'waterfall-effect' }, effectWords(step))),
        h('div', { class: 'track' }, bar, limit));
    }),
    h('p', { class: 'waterfall-axis' }, h('span', {}, percent(low)), h('span', {}, `scale: probability of default`),
      h('span', {}, percent(high))),
    h('p', { class: 'waterfall-legend' }, h('span', { class: 'limit-key' }), ` the acceptance limit, ${percent(explanation.threshold)}`));
  return chartFigure({
    title: 'Why: from the average client to this client',
    summary: `The model starts from ${percent(explanation.base_value.probability)} for an average client; this client's ` +
             `features bring it to ${percent(explanation.probability)} (limit ${percent(explanation.threshold)}).`,
    picture,
    columns: ['Step', 'Client\'s value', 'Effect (percentage points)', 'Running probability'],
    rows: steps.map((s) => [s.label, s.detail.replace(/^value: /, '') || '-',
                            s.kind === 'total' ? '-' : signedPoints(s.to - s.from), percent(s.to)]),
  });
}
