// Finding a client: as the officer types a client number, the known clients starting with those
// digits are offered in the field's list (a native datalist: the browser's own keyboard and
// screen-reader support), from GET /api/v1/clients?prefix=.
import { h } from '../dom.js';
import { getJson } from '../api.js';

const kDelayMs = 120;  // typing pauses shorter than this send no request
const kSuggestions = 10;

export function attachSuggestions(input, list) {
  let timer = 0;
  let asked = '';
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const digits = input.value.trim();
    if (!/^[0-9]{1,18}$/.test(digits)) {
      list.replaceChildren();
      return;
    }
    timer = setTimeout(async () => {
      asked = digits;
      try {
        const answer = await getJson(`/api/v1/clients?prefix=${digits}&limit=${kSuggestions}`);
        if (asked !== digits) return;  // a later request was sent meanwhile
        list.replaceChildren(...answer.clients.map((id) => h('option', { value: String(id) })));
      } catch (error) {
        list.replaceChildren();  // no suggestions; the view says what went wrong when asked
      }
    }, kDelayMs);
  });
}
