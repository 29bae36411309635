// POST /v1/conversations/{id}/messages answered as server-sent events (docs/widget.md). The same
// turn as postMessage: prepareTurn runs first, so a foreign conversation or a refused scope is an
// ordinary JSON error before any event; then the answer streams as `delta` events (model tokens, or
// in retrieval-only mode the quoted passages paragraph by paragraph), and only once it is complete
// are both messages stored (storeTurn) and the `done` event sent with their ids and the citations.
// A failure after the first event is an `error` event and stores nothing.
import { isFeatureOn } from '../../tenancy/build-context.ts';
import type { ServiceCall } from '../service-deps.ts';
import type { Passage } from './chat-model.ts';
import { type AnswerMode, type Citation, citationsOf, composeAnswer, onlyMarkersOf } from './compose-answer.ts';
import { type PostMessageInput, type PreparedTurn, prepareTurn, storeTurn } from './post-message.ts';

/** How much of a cited chunk the `done` event carries, for the widget to show under the answer. */
export const SNIPPET_CHARS = 200;

export type StreamedCitation = Citation & { snippet: string };
type StoredTurn = Awaited<ReturnType<typeof storeTurn>>;

export type MessageStreamEvent =
  | { event: 'start'; data: { conversationId: string; mode: AnswerMode } }
  | { event: 'delta'; data: { text: string } }
  | {
      event: 'done';
      /** `passages`: how many chunks retrieval found (0: the tenant's documents hold nothing for it). */
      data: Omit<StoredTurn, 'citations'> & { citations: StreamedCitation[]; passages: number };
    };

/** Resolves once the turn is prepared (or throws, before anything is streamed); then yields its events. */
export async function streamMessage(call: ServiceCall<PostMessageInput>): Promise<AsyncIterable<MessageStreamEvent>> {
  const turn = await prepareTurn(call);
  return answerEvents(call, turn);
}

async function* answerEvents({ ctx, deps }: ServiceCall<PostMessageInput>, turn: PreparedTurn) {
  const cite = isFeatureOn(ctx, 'citations');
  const model = deps.chat;
  let answer: { mode: AnswerMode; content: string; citations: Citation[] };
  if (model?.stream) {
    yield { event: 'start', data: { conversationId: turn.conversationId, mode: 'generated' } } as const;
    const passages: Passage[] = turn.chunks.map((c, i) => ({ number: i + 1, title: c.title, text: c.text }));
    let text = '';
    for await (const token of model.stream({ question: turn.question, passages, history: turn.history, cite })) {
      text += token;
      yield { event: 'delta', data: { text: token } } as const;
    }
    // The stored text drops markers naming no given passage, as composeAnswer does: `done` has it.
    const content = onlyMarkersOf(text, cite ? passages.length : 0);
    answer = { mode: 'generated', content, citations: cite ? citationsOf(turn.chunks) : [] };
  } else {
    answer = await composeAnswer(model, turn.question, turn.chunks, turn.history, { cite });
    yield { event: 'start', data: { conversationId: turn.conversationId, mode: answer.mode } } as const;
    // Paragraphs, each with the separator that precedes it: the deltas concatenate to the content.
    for (const [i, paragraph] of answer.content.split('\n\n').entries()) {
      yield { event: 'delta', data: { text: i === 0 ? paragraph : `\n\n${paragraph}` } } as const;
    }
  }
  const stored = await storeTurn(ctx, deps, turn, answer);
  const citations = stored.citations.map((citation, i) => ({
    ...citation,
    snippet: snippetOf(turn.chunks[i]?.text ?? ''),
  }));
  yield { event: 'done', data: { ...stored, citations, passages: turn.chunks.length } } as const;
}

function snippetOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= SNIPPET_CHARS ? flat : `${flat.slice(0, SNIPPET_CHARS).trimEnd()}…`;
}
