// The embeddable widget (served as /widget.js): `<script src="https://{slug}.{API_HOST}/widget.js"
// data-key="pk_…" data-project="…" async></script>`. It mounts a launcher and chat panel in a shadow
// root at the end of <body> and talks to the API origin it was loaded from (or `data-api`).
import { apiClient, WidgetError } from './api-client.ts';
import { mountPanel } from './panel.ts';
import { visitorStore } from './storage.ts';

const script = document.currentScript as HTMLScriptElement | null;

function start(tag: HTMLScriptElement) {
  const publishableKey = tag.dataset.key;
  if (!publishableKey?.startsWith('pk_')) {
    console.error('Bulkhead widget: data-key must be a publishable key (pk_…)');
    return;
  }
  const base = (tag.dataset.api ?? new URL(tag.src).origin).replace(/\/$/, '');
  const client = apiClient({
    base,
    publishableKey,
    projectId: tag.dataset.project,
    store: visitorStore(publishableKey),
  });
  const host = document.createElement('div');
  host.setAttribute('data-bulkhead-widget', '');
  document.body.append(host);
  const panel = mountPanel(host, tag.dataset.title ?? 'Ask us', (question) => {
    panel.question(question);
    const answer = panel.answer();
    panel.busy(true);
    client
      .ask(question, { onDelta: (text) => answer.append(text) })
      .then((done) => answer.finish(done))
      .catch((error: unknown) => {
        answer.drop();
        panel.fail(error instanceof WidgetError ? error.failure : { kind: 'other', message: String(error) });
      })
      .finally(() => panel.busy(false));
  });
}

if (script) {
  if (document.body) start(script);
  else document.addEventListener('DOMContentLoaded', () => start(script), { once: true });
}
