// "Wie keek in mijn rugzak?" reads better per visit than per event: a professional opening a
// youth's page reads every shared section at once, one event each. Consecutive reads by the
// same person, each within VISIT_GAP of the one before, are one visit ("Fatima bekeek 4
// delen"); the chain itself keeps (and the page checks) every event.
import * as c from "../crypto.js";

export const VISIT_GAP_MS = 30 * 60 * 1000;
const READS = new Set(["section:read", "document:read"]);

/** Oldest first, like the log: items are { kind: "event", event } or
 *  { kind: "visit", actor, events, sections } (sections: distinct, in reading order). */
export function groupVisits(events, ownerId) {
  const items = [];
  let open = null;
  for (const event of events) {
    const read = READS.has(event.action) && event.actor !== ownerId;
    const at = c.parseTime(event.at);
    if (read && open && open.actor === event.actor && at - open.last <= VISIT_GAP_MS) {
      open.events.push(event);
      if (event.section && !open.sections.includes(event.section)) open.sections.push(event.section);
      open.last = at;
      continue;
    }
    open = null;
    if (read) {
      open = { kind: "visit", actor: event.actor, events: [event], sections: event.section ? [event.section] : [], last: at };
      items.push(open);
    } else {
      items.push({ kind: "event", event });
    }
  }
  return items;
}

/** "bekeek 4 delen" / "las Werk" for one visit. */
export function visitSentence(visit, labelOf) {
  if (visit.events.length === 1) return null;
  const n = visit.sections.length;
  return n === 1 ? `las ${labelOf(visit.sections[0])} (${visit.events.length} keer)` : `bekeek ${n} delen`;
}

/** The people in the log for the filter: [actorId, name], in order of first appearance. */
export function peopleIn(events, nameOf) {
  const seen = new Map();
  for (const e of events) if (!seen.has(e.actor)) seen.set(e.actor, nameOf(e.actor));
  return [...seen.entries()];
}
