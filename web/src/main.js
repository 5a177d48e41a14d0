// The dashboard's entry: reads the client and the view from the address (?client=100002&view=why,
// so every view is a link that works with a reload, back and bookmarks), names them in the title
// and the h1, loads the API answers the view needs and hands them to the view's module. Errors
// are said in words beside the field they concern; a missing or refused token asks for one.
import { h } from './dom.js';
import { ApiError, getJson, storeToken } from './api.js';
import { scoreView } from './views/score.js';
import { whyView } from './views/why.js';
import { infoView } from './views/info.js';
import { attachSuggestions } from './views/find.js';

const kViews = {
  score: {
    label: 'Score',
    load: async (id) => {
      const [score, explanation] = await Promise.all([
        getJson(`/api/v1/clients/${id}/score`), getJson(`/api/v1/clients/${id}/explanation?top=3`)]);
      return scoreView(score, explanation);
    },
  },
  why: {
    label: 'Why',
    load: async (id) => {
      const [explanation, importance] = await Promise.all([
        getJson(`/api/v1/clients/${id}/explanation?top=5`), getJson('/api/v1/importance?top=10')]);
      return whyView(explanation, importance);
    },
  },
  info: {
    label: 'Client information',
    load: async (id) => infoView(await getJson(`/api/v1/clients/${id}`)),
  },
};

const $ = (id) => document.getElementById(id);

function setTitle(heading, title) {
  $('title').textContent = heading;
  document.title = `${title} - credo`;
}

// An error about the client number, shown beside the field (and announced).
function showFieldError(message) {
  const error = $('client-error');
  error.textContent = '';
  error.append(h('span', { class: 'visually-hidden' }, 'Error: '), message);
  error.hidden = false;
  $('client-field').classList.add('field-invalid');
  $('client').setAttribute('aria-invalid', 'true');
  $('client').setAttribute('aria-describedby', 'client-hint client-error');
}

function clearFieldError() {
  $('client-error').hidden = true;
  $('client-field').classList.remove('field-invalid');
  $('client').removeAttribute('aria-invalid');
  $('client').setAttribute('aria-describedby', 'client-hint');
}

function validClientNumber(text) {
  return /^[0-9]{1,18}$/.test(text);
}

function renderNav(id, current) {
  const nav = $('views');
  nav.textContent = '';
  nav.append(h('ul', {}, Object.entries(kViews).map(([key, view]) =>
    h('li', {}, h('a', { href: `/?client=${id}&view=${key}`, 'aria-current': key === current ? 'page' : null }, view.label)))));
  nav.hidden = false;
}

// The token form: shown when the service refuses for want of a token (401) or of a role (403).
function tokenForm(error) {
  const form = h('form', { class: 'panel token', novalidate: true },
    h('h2', {}, 'Access token'),
    h('p', { class: 'field-error', id: 'token-error' }, error.advice || error.message),
    h('p', { class: 'hint', id: 'token-hint' },
      'The token is kept in this browser tab only, until you close it. The service said: ', error.message),
    h('div', { class: 'field' },
      h('label', { for: 'token' }, 'Access token'),
      h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', 'aria-describedby': 'token-error token-hint' }),
      h('button', { type: 'submit' }, 'Use this token')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    storeToken(form.elements.token.value.trim());
    window.location.reload();
  });
  return form;
}

async function showClient(id, viewKey) {
  const view = kViews[viewKey] ? viewKey : 'score';
  const label = kViews[view].label;
  $('client').value = id;
  setTitle(`Client ${id}: ${label.toLowerCase()}`, `Client ${id} - ${label.toLowerCase()}`);
  renderNav(id, view);
  const status = $('status');
  status.textContent = `Loading client ${id}…`;
  try {
    const content = await kViews[view].load(id);
    $('view').replaceChildren(content);
    status.textContent = `Client ${id}: ${label.toLowerCase()} shown.`;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    status.textContent = '';
    if (error.status === 401 || error.status === 403) {
      setTitle('Access token needed', 'Access token needed');
      $('view').replaceChildren(tokenForm(error));
      return;
    }
    $('views').hidden = true;
    $('view').replaceChildren();
    if (error.status === 404) {
      setTitle('Find a client', `Client ${id} not found`);
      showFieldError(`No client ${id} is known to the scoring service. Check the number on the application.`);
    } else {
      setTitle('Find a client', 'Error');
      showFieldError(`${error.message}${error.advice ? ` ${error.advice}` : ''}`);
    }
    $('client').focus();
  }
}

function start() {
  const form = $('find');
  attachSuggestions($('client'), $('client-suggestions'));
  form.addEventListener('submit', (event) => {
    const text = $('client').value.trim();
    if (!validClientNumber(text)) {
      event.preventDefault();
      showFieldError(text === '' ? 'Enter the client number.' : 'The client number is a whole number, for example 100002.');
      $('client').focus();
      return;
    }
    $('client').value = text;
    clearFieldError();
  });
  const params = new URLSearchParams(window.location.search);
  const id = (params.get('client') || '').trim();
  if (!id) return;
  if (!validClientNumber(id)) {
    showFieldError('The client number is a whole number, for example 100002.');
    return;
  }
  showClient(id, params.get('view') || 'score');
}

start();
