// The shape of one fault rule (local/faults.ts applies them). Apart from the rest of the fault
// module, which needs Node, so tests inside workerd can type the rules they send to /__faults.
export const FAULT_KINDS = ['latency', 'status', 'reset', 'hang', 'truncate'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  /** Exact method, any case; every method when absent. */
  method?: string;
  /** Path pattern, `*` matching any run of characters (`/vectors/*`); every path when absent. */
  path?: string;
  /**
   * Text that must occur in the request's target or body. Tests scope a fault to their own tenant
   * with it (its id is in every Neon batch, Pinecone namespace and object key), so test files that
   * share the stack's stand-ins never see each other's faults.
   */
  includes?: string;
  /**
   * latency: wait `latencyMs`, then answer normally. status: answer `status` (and `body`, else the
   * stand-in's own error body) without doing the work. reset: destroy the connection (TCP RST)
   * without an answer. hang: read the request, never answer. truncate: do the work, then send the
   * status line, headers and only half the body before closing (the declared length is kept).
   */
  fault: FaultKind;
  latencyMs?: number;
  status?: number;
  body?: string;
  /** Apply to the first `count` matching requests, then the rule is spent; unlimited when absent. */
  count?: number;
  /** Apply to each matching request with this probability (0..1), drawn from `seed`'s sequence. */
  probability?: number;
  seed?: number;
}
