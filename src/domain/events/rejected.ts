// An event that is well-formed but cannot be applied (unknown order, delivered before paid …). Thrown
// inside the event's transaction, so nothing of it stays; reported back as { id, reason }.
export class EventRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'EventRejected';
  }
}
