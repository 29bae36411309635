// The launcher and the chat panel, built in the widget's shadow root with text nodes only: answers,
// titles and snippets are the tenant's untrusted document text and are never parsed as HTML.
// `part` attributes name each piece for the page's ::part() styling and for the browser tests.
import type { Answer, WidgetFailure } from './api-client.ts';
import { WIDGET_CSS } from './styles.ts';

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string) => {
  const node = document.createElement(tag);
  node.className = className;
  node.setAttribute('part', className.split(' ')[0] as string);
  if (text !== undefined) node.textContent = text;
  return node;
};

export function describeFailure(failure: WidgetFailure): string {
  switch (failure.kind) {
    case 'offline':
      return 'You are offline. Reconnect and ask again.';
    case 'blocked':
      return 'This chat cannot be reached from this site: its address is not allowed for this widget, or the service is unreachable.';
    case 'rate_limited':
      return `Too many questions right now. Try again in ${failure.retryAfterSeconds} s.`;
    case 'maintenance':
      return `The assistant is down for maintenance.${failure.retryAfterSeconds ? ` Try again in ${failure.retryAfterSeconds} s.` : ' Try again later.'}`;
    case 'not_found':
      return 'This conversation is no longer available.';
    default:
      return `Something went wrong: ${failure.message}`;
  }
}

export interface Panel {
  question(text: string): void;
  /** A new assistant bubble; returns what fills it as the answer arrives. */
  answer(): { append(text: string): void; finish(answer: Answer): void; drop(): void };
  fail(failure: WidgetFailure): void;
  busy(on: boolean): void;
}

export function mountPanel(host: HTMLElement, title: string, onAsk: (text: string) => void): Panel {
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = WIDGET_CSS;
  const panel = el('div', 'panel');
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', title);
  const log = el('div', 'log');
  log.setAttribute('role', 'log');
  log.setAttribute('aria-live', 'polite');
  const empty = el('p', 'empty', 'Ask a question about this site.');
  log.append(empty);
  const status = el('div', 'status');
  status.setAttribute('role', 'status');
  const form = el('form', 'ask');
  const input = el('input', 'input');
  input.placeholder = 'Type your question';
  input.maxLength = 4000;
  input.setAttribute('aria-label', 'Your question');
  const send = el('button', 'send', 'Send');
  send.type = 'submit';
  form.append(input, send);
  panel.append(el('div', 'head', title), log, status, form);
  const launcher = el('button', 'launcher', 'Chat');
  launcher.type = 'button';
  launcher.setAttribute('aria-expanded', 'false');
  launcher.addEventListener('click', () => {
    const open = panel.classList.toggle('open');
    launcher.setAttribute('aria-expanded', String(open));
    if (open) input.focus();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text === '' || send.disabled) return;
    input.value = '';
    onAsk(text);
  });
  root.append(style, panel, launcher);

  const scroll = () => {
    log.scrollTop = log.scrollHeight;
  };
  const bubble = (role: 'user' | 'assistant', text: string) => {
    empty.remove();
    const node = el('div', `msg ${role}`, text);
    node.setAttribute('part', role === 'user' ? 'question' : 'answer');
    log.append(node);
    scroll();
    return node;
  };
  return {
    question: (text) => {
      status.classList.remove('shown');
      bubble('user', text);
    },
    answer() {
      const node = bubble('assistant', '');
      node.setAttribute('aria-busy', 'true');
      const text = document.createTextNode('');
      node.append(text);
      return {
        append(delta) {
          text.data += delta;
          scroll();
        },
        finish(answer) {
          text.data = answer.content;
          node.removeAttribute('aria-busy');
          if (answer.passages === 0) {
            // Nothing in the tenant's documents answers this (or there are none yet): said as such.
            node.classList.add('nothing');
            node.setAttribute('data-state', 'empty');
            node.append(el('span', 'empty-note', '\nThis site has no documents that answer this yet.'));
          } else if (answer.citations.length > 0) {
            const list = el('ol', 'citations');
            for (const citation of answer.citations) {
              const item = el('li', 'citation');
              item.append(el('strong', 'citation-title', `[${citation.number}] ${citation.title}`));
              if (citation.snippet) item.append(el('span', 'citation-snippet', citation.snippet));
              list.append(item);
            }
            node.append(list);
          }
          scroll();
        },
        drop: () => node.remove(),
      };
    },
    fail(failure) {
      status.textContent = describeFailure(failure);
      status.setAttribute('data-failure', failure.kind);
      status.classList.add('shown');
    },
    busy(on) {
      send.disabled = on;
    },
  };
}
