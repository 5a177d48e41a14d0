// Every chart in one frame: a caption (title and a one-sentence summary), the picture (an image
// to assistive technology, described by the summary) and the same data as a table, so nothing is
// said by the picture alone (WCAG 1.1.1).
import { h } from '../dom.js';

let nextId = 0;

// columns: header texts; rows: arrays of cell texts (the first cell is the row's header).
export function chartFigure({ title, summary, picture, columns, rows }) {
  const id = `chart-${++nextId}`;
  picture.setAttribute('role', 'img');
  picture.setAttribute('aria-labelledby', `${id}-title`);
  picture.setAttribute('aria-describedby', `${id}-summary`);
  return h('figure', { class: 'chart' },
    h('figcaption', {},
      h('span', { class: 'chart-title', id: `${id}-title` }, title),
      ' ',
      h('span', { class: 'chart-summary', id: `${id}-summary` }, summary)),
    picture,
    h('details', { class: 'chart-data' },
      h('summary', {}, `${title}: the data as a table`),
      h('table', {},
        h('caption', { class: 'visually-hidden' }, title),
        h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows.map((row) =>
          h('tr', {}, row.map((cell, i) => (i === 0 ? h('th', { scope: 'row' }, cell) : h('td', {}, cell)))))))));
}
