// The anonymous widget user's token and its current conversation, kept in the page's localStorage
// under the publishable key's id, so each site's widget keeps its own visitor. Storage may be
// unavailable (privacy modes, sandboxed frames): then the visitor is new on every page load.
export interface VisitorStore {
  widgetUser(): string | undefined;
  conversation(): string | undefined;
  save(widgetUser: string, conversationId: string): void;
  forgetConversation(): void;
}

export function visitorStore(publishableKey: string): VisitorStore {
  const keyId = publishableKey.split('_')[1] ?? 'unknown';
  const name = (field: string) => `bulkhead:${keyId}:${field}`;
  const read = (field: string) => {
    try {
      return localStorage.getItem(name(field)) ?? undefined;
    } catch {
      return undefined;
    }
  };
  const write = (field: string, value: string | undefined) => {
    try {
      if (value === undefined) localStorage.removeItem(name(field));
      else localStorage.setItem(name(field), value);
    } catch {
      // not kept: the next page load starts a new visitor
    }
  };
  return {
    widgetUser: () => read('widgetUser'),
    conversation: () => read('conversation'),
    save(widgetUser, conversationId) {
      write('widgetUser', widgetUser);
      write('conversation', conversationId);
    },
    forgetConversation: () => write('conversation', undefined),
  };
}
