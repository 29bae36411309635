// The widget's calls to the Bulkhead API, on the tenant's own host (`{slug}.{API_HOST}`, where CORS
// preflights are answered): start a conversation (the first one issues the anonymous widget-user
// token), then post each question asking for server-sent events or JSON. Every failure becomes one
// WidgetFailure the panel can explain.
import { readEvents } from './event-stream.ts';
import type { VisitorStore } from './storage.ts';

export type WidgetFailure =
  | { kind: 'offline' }
  /** fetch rejected while online: the browser's CORS check refused this origin, or no answer came. */
  | { kind: 'blocked' }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'maintenance'; retryAfterSeconds?: number }
  | { kind: 'not_found' }
  | { kind: 'other'; code?: string; message: string };

export class WidgetError extends Error {
  constructor(readonly failure: WidgetFailure) {
    super(failure.kind);
  }
}

export interface Citation {
  number: number;
  title: string;
  snippet?: string;
}

export interface Answer {
  mode: string;
  content: string;
  citations: Citation[];
  /** From a streamed answer: how many passages were found; 0 is the empty state. */
  passages?: number;
}

export interface AnswerProgress {
  onDelta(text: string): void;
}

interface ClientOptions {
  base: string;
  publishableKey: string;
  projectId?: string;
  store: VisitorStore;
}

const seconds = (value: string | null) => {
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? Math.ceil(n) : undefined;
};

async function failureOf(res: Response): Promise<WidgetFailure> {
  let error: { code?: string; message?: string } = {};
  try {
    error = ((await res.json()) as { error?: typeof error }).error ?? {};
  } catch {
    // not the API's envelope
  }
  const retryAfter = seconds(res.headers.get('retry-after'));
  if (res.status === 429) return { kind: 'rate_limited', retryAfterSeconds: retryAfter ?? 1 };
  if (error.code === 'maintenance') return { kind: 'maintenance', retryAfterSeconds: retryAfter };
  if (res.status === 404) return { kind: 'not_found' };
  return { kind: 'other', code: error.code, message: error.message ?? `HTTP ${res.status}` };
}

export function apiClient({ base, publishableKey, projectId, store }: ClientOptions) {
  const headers = (widgetUser: string | undefined, accept = 'application/json') => ({
    'x-api-key': publishableKey,
    'content-type': 'application/json',
    accept,
    ...(widgetUser && { 'x-widget-user': widgetUser }),
  });

  async function call(path: string, init: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { ...init, credentials: 'omit', mode: 'cors' });
    } catch {
      throw new WidgetError(navigator.onLine === false ? { kind: 'offline' } : { kind: 'blocked' });
    }
    if (!res.ok) throw new WidgetError(await failureOf(res));
    return res;
  }

  async function conversation(): Promise<{ id: string; widgetUser: string }> {
    const known = { id: store.conversation(), widgetUser: store.widgetUser() };
    if (known.id && known.widgetUser) return known as { id: string; widgetUser: string };
    const res = await call('/v1/conversations', {
      method: 'POST',
      headers: headers(known.widgetUser),
      body: JSON.stringify(projectId ? { projectId } : {}),
    });
    const started = (await res.json()) as { conversation: { id: string }; widgetUser?: string };
    const widgetUser = started.widgetUser ?? known.widgetUser;
    if (!widgetUser) throw new WidgetError({ kind: 'other', message: 'No widget user was issued' });
    store.save(widgetUser, started.conversation.id);
    return { id: started.conversation.id, widgetUser };
  }

  async function post(question: string, progress: AnswerProgress): Promise<Answer> {
    const { id, widgetUser } = await conversation();
    const res = await call(`/v1/conversations/${encodeURIComponent(id)}/messages`, {
      method: 'POST',
      // Events when the tenant streams, else the JSON answer: one request either way.
      headers: headers(widgetUser, 'text/event-stream, application/json;q=0.9'),
      body: JSON.stringify({ content: question }),
    });
    if (!res.headers.get('content-type')?.startsWith('text/event-stream') || !res.body) {
      const body = (await res.json()) as { mode: string; answer: { content: string }; citations: Citation[] };
      progress.onDelta(body.answer.content);
      return { mode: body.mode, content: body.answer.content, citations: body.citations };
    }
    for await (const { event, data } of readEvents(res.body)) {
      const payload = JSON.parse(data);
      if (event === 'delta') progress.onDelta(payload.text);
      else if (event === 'done') {
        const { mode, citations, passages } = payload;
        return { mode, content: payload.answer.content, citations, passages };
      } else if (event === 'error') {
        const { code, message } = payload.error ?? {};
        throw new WidgetError(code === 'maintenance' ? { kind: 'maintenance' } : { kind: 'other', code, message });
      }
    }
    throw new WidgetError({ kind: 'other', message: 'The answer was cut off' });
  }

  return {
    /** A conversation this store no longer reaches (404) is forgotten and the question asked once more. */
    async ask(question: string, progress: AnswerProgress): Promise<Answer> {
      try {
        return await post(question, progress);
      } catch (error) {
        if (!(error instanceof WidgetError && error.failure.kind === 'not_found' && store.conversation())) throw error;
        store.forgetConversation();
        return post(question, progress);
      }
    },
  };
}
