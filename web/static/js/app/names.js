// Names of the people who wrote entries ("bekijk als", section pages): they are in the
// profile cards, sealed to me, so the server never has them; this opens the cards and writes
// each name into [data-name] with textContent. The entries themselves are opened by
// htmx-rugzak.js with the owner's keys (dossier.js loads them).
import * as c from "../crypto.js";
import { freshState, me } from "./consent.js";
import { cards, fillNames } from "./people.js";

async function start() {
  await c.ready;
  if (!document.querySelector("[data-name]")) return;
  try {
    const state = await freshState();
    fillNames(document, cards(me(), state.connections));
  } catch {
    /* names stay as short ids; the locked banner comes from dossier.js */
  }
}

start();
