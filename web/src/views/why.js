// The "why" view: the client's main reasons as a waterfall beside the model's global importance,
// so the officer sees what weighs for this client against what weighs in general. A function of
// the explanation and importance answers.
import { h } from '../dom.js';
import { reasonsWaterfall } from '../charts/waterfall.js';
import { importanceBars } from '../charts/importance.js';

export function whyView(explanation, importance) {
  const reasons = [...explanation.reasons_toward_refusal, ...explanation.reasons_toward_acceptance];
  return h('div', { class: 'why-view' },
    h('section', { class: 'panel', 'aria-labelledby': 'client-reasons-heading' },
      h('h2', { id: 'client-reasons-heading' }, 'This client\'s main reasons'),
      reasonsWaterfall(explanation),
      h('ul', { class: 'sentences' }, reasons.map((r) => h('li', {}, r.sentence)))),
    h('section', { class: 'panel', 'aria-labelledby': 'importance-heading' },
      h('h2', { id: 'importance-heading' }, 'What weighs in general'),
      importanceBars(importance)));
}
