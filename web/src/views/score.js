// The score view: the decision, the probability against the acceptance limit, the distance and
// the risk band in words and numbers (colour only repeats them), a sentence an officer can read
// aloud, and the gauge. A function of the score and explanation answers.
import { h } from '../dom.js';
import { scoreGauge } from '../charts/gauge.js';
import { bandWords, percent, points } from '../format.js';

function reasonList(reasons) {
  return reasons.slice(0, 2).map((r) => `${r.description} (${r.value_in_words ?? 'not known'})`).join('; ');
}

// "The estimated risk of default is 45.1%, 11.8 points above the acceptance limit of 33.4%, so
// the application is refused. What lowers it most: ... What raises it most: ..."
export function plainSentence(score, explanation) {
  const distance = score.probability - score.threshold;
  const side = distance < 0 ? 'below' : 'above';
  let text = `The estimated risk of default is ${percent(score.probability)}, ${points(distance)} ${side} the acceptance ` +
             `limit of ${percent(score.threshold)}, so the application is ${score.decision === 'REFUSED' ? 'refused' : 'accepted'}.`;
  if (explanation.reasons_toward_acceptance.length)
    text += ` What lowers it most: ${reasonList(explanation.reasons_toward_acceptance)}.`;
  if (explanation.reasons_toward_refusal.length)
    text += ` What raises it most: ${reasonList(explanation.reasons_toward_refusal)}.`;
  return text;
}

export function scoreView(score, explanation) {
  const refused = score.decision === 'REFUSED';
  const distance = score.probability - score.threshold;
  return h('div', { class: 'score-view' },
    h('section', { class: 'panel', 'aria-labelledby': 'decision-heading' },
      h('h2', { id: 'decision-heading' }, 'Decision'),
      h('p', { class: `decision ${refused ? 'decision-refused' : 'decision-accepted'}`, 'data-decision': score.decision },
        h('span', { 'aria-hidden': 'true', class: 'decision-mark' }, refused ? '\u2717' : '\u2713'), ' ', score.decision),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Probability of default'), h('dd', { 'data-fact': 'probability' }, percent(score.probability)),
        h('dt', {}, 'Acceptance limit'), h('dd', { 'data-fact': 'threshold' }, percent(score.threshold)),
        h('dt', {}, 'Distance to the limit'),
        h('dd', { 'data-fact': 'distance' }, `${points(distance)} ${distance < 0 ? 'below' : 'above'}`),
        h('dt', {}, 'Risk band'), h('dd', { 'data-fact': 'band' }, bandWords(score.risk_band)),
        h('dt', {}, 'Model'), h('dd', {}, `${score.model.name} version ${score.model.version}`))),
    h('section', { class: 'panel', 'aria-labelledby': 'words-heading' },
      h('h2', { id: 'words-heading' }, 'In plain words'),
      h('p', { class: 'read-aloud' }, plainSentence(score, explanation))),
    h('section', { class: 'panel', 'aria-labelledby': 'gauge-heading' },
      h('h2', { id: 'gauge-heading' }, 'The score against the limit'),
      scoreGauge(score)));
}
