// Grant ends (dossier/crypto/revocations.py): the owner's signed word that a grant stopped at
// a moment. A reader caps the receipt at that `at`; an end that does not verify is ignored,
// not obeyed, so the server cannot forge one to hide a grantee's genuine entries.
import { canonical, equalBytes, formatTime, getStr, parseTime } from "./encoding.js";
import { CryptoError, MalformedError } from "./errors.js";
import { signStatement, verifyStatement } from "./statements.js";

export const GRANT_END = "grant-end";
const FIELDS = ["at", "dossier", "grant", "kind", "section"];

export function signGrantEnd(owner, { grant, dossier, section, at }) {
  return signStatement(owner, { kind: GRANT_END, grant, dossier, section, at: formatTime(at) });
}

/** Epoch ms of the end, if the owner signed exactly an end of this grant here. Order: `v`,
 *  the signature (TamperedError), then the fields (MalformedError). */
export function verifyGrantEnd(statement, ownerSignPk, { grant, dossier, section }) {
  const fields = verifyStatement(statement, ownerSignPk);
  const names = Object.keys(fields).sort();
  if (!equalBytes(canonical(names), canonical(FIELDS)) || fields.kind !== GRANT_END) {
    throw new MalformedError("not a grant end");
  }
  if (getStr(fields, "grant") !== grant || fields.dossier !== dossier || fields.section !== section) {
    throw new MalformedError("the grant end names another grant");
  }
  return parseTime(getStr(fields, "at"));
}

/** The reader's view: epoch ms of a verified end, or null when absent or not verifying. */
export function grantEndTime(statement, ownerSignPk, place) {
  if (statement === null || statement === undefined) return null;
  try {
    return verifyGrantEnd(statement, ownerSignPk, place);
  } catch (err) {
    if (err instanceof CryptoError) return null;
    throw err;
  }
}
