/**
 * What this process knows of each client's room under its rate plan: enough to tell when a
 * request is sure to fit, so that its sources may be asked while the store decides the charge.
 *
 * Why it holds: windows are fixed (stores/rate-limit/port.ts), so room only shrinks by charges
 * and only grows when a window resets. The last decision's `remaining`, less every charge this
 * process has sent since and not yet heard back about, is a lower bound on the room now, except
 * for what other processes take meanwhile. Those can make a request that went ahead be refused
 * after its sources were asked; it is then refused all the same (rate-limit.ts), so answers stay
 * exact and only source calls can exceed the plan, by at most what was in flight here.
 */

interface Bucket {
  /** Room left after the newest decision heard back (in the order charges were sent). */
  remaining: number;
  /** Sequence number of that decision's charge. */
  decidedSeq: number;
  /** Units of charges sent and not yet decided. */
  pending: number;
  nextSeq: number;
}

/** A charge on its way to the store. */
export interface ChargeTicket {
  readonly key: string;
  readonly cost: number;
  readonly seq: number;
}

export class KnownRoom {
  readonly #buckets = new Map<string, Bucket>();

  /** Whether `cost` more units fit under `key` even if every charge still pending is granted. */
  admits(key: string, cost: number): boolean {
    const bucket = this.#buckets.get(key);
    return bucket !== undefined && bucket.remaining - bucket.pending >= cost;
  }

  /** Notes a charge as sent; pass its ticket to {@link decided} when the store answers. */
  sent(key: string, cost: number): ChargeTicket {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      // Nothing known yet: no room is assumed until a decision says how much there is.
      bucket = { remaining: 0, decidedSeq: 0, pending: 0, nextSeq: 1 };
      this.#buckets.set(key, bucket);
    }
    bucket.pending += cost;
    return { key, cost, seq: bucket.nextSeq++ };
  }

  /**
   * Notes the store's answer: the room left after the charge, or `undefined` when the store could
   * not answer (then no room is assumed until it answers again).
   */
  decided(ticket: ChargeTicket, remaining: number | undefined): void {
    const bucket = this.#buckets.get(ticket.key);
    if (bucket === undefined) return;
    bucket.pending -= ticket.cost;
    if (remaining === undefined) {
      bucket.remaining = 0;
      bucket.decidedSeq = Math.max(bucket.decidedSeq, ticket.seq);
    } else if (ticket.seq > bucket.decidedSeq) {
      // An older answer arriving late says less than the newer one already heard.
      bucket.remaining = remaining;
      bucket.decidedSeq = ticket.seq;
    }
  }
}
