// The client information view: the descriptive fields of the client's application, in the words
// the API gives them (money, years, "not given"), each with its dictionary description.
import { h } from '../dom.js';

export function infoView(client) {
  const outcome = client.outcome && client.outcome.text ? client.outcome.text : 'not known';
  return h('div', { class: 'info-view' },
    h('section', { class: 'panel', 'aria-labelledby': 'fields-heading' },
      h('h2', { id: 'fields-heading' }, 'Application'),
      h('table', { class: 'fields' },
        h('caption', { class: 'visually-hidden' }, `Client ${client.client_id}'s application`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Value'))),
        h('tbody', {}, client.fields.map((f) =>
          h('tr', {}, h('th', { scope: 'row' }, f.label, h('span', { class: 'description' }, f.description)),
                      h('td', {}, f.text ?? 'not known')))))),
    h('section', { class: 'panel', 'aria-labelledby': 'outcome-heading' },
      h('h2', { id: 'outcome-heading' }, 'Known outcome'),
      h('p', {}, `Repayment: ${outcome}.`)));
}
