// "Bekijk als …": the entries are opened by htmx-rugzak.js with the owner's keys (dossier.js
// loads them); this only writes the party's and authors' names from the opened cards.
import * as c from "../crypto.js";
import { freshState, me } from "./consent.js";
import { cards, fillNames } from "./people.js";

async function start() {
  await c.ready;
  try {
    const state = await freshState();
    fillNames(document, cards(me(), state.connections));
  } catch {
    /* names stay as short ids; the locked banner comes from dossier.js */
  }
}

start();
